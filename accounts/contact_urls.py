from django.urls import path

from accounts import contact_views

app_name = "contact"

urlpatterns = [
    path("", contact_views.my_page, name="my_page"),
    path("lank/", contact_views.link_request, name="link_request"),
    path("logga-in/", contact_views.link_login, name="login"),
    path("logga-ut/", contact_views.contact_logout, name="logout"),
]
