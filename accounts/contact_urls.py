"""Every page of the agent contact's own, under /mina-sidor/: the page itself, signing in with a
link, the data the portal holds about them, the local network, and decal orders."""

from django.urls import path

from accounts import contact_views
from decals import views as decal_views
from knowledge import views as knowledge_views

app_name = "contact"

urlpatterns = [
    path("", contact_views.my_page, name="my_page"),
    path("lank/", contact_views.link_request, name="link_request"),
    path("logga-in/", contact_views.link_login, name="login"),
    path("logga-ut/", contact_views.contact_logout, name="logout"),
    path("uppgifter/", knowledge_views.my_data, name="my_data"),
    path("uppgifter/hamta.json", knowledge_views.my_data_download, {"fmt": "json"}, name="my_data_json"),
    path("uppgifter/hamta.csv", knowledge_views.my_data_download, {"fmt": "csv"}, name="my_data_csv"),
    path("uppgifter/lamna-natverket/", knowledge_views.network_leave, name="network_leave"),
    path("uppgifter/ga-med-i-natverket/", knowledge_views.network_join, name="network_join"),
    path("uppgifter/radera/", knowledge_views.my_data_erase, name="my_data_erase"),
    path("uppgifter/raderade/", knowledge_views.my_data_erased, name="my_data_erased"),
    path("dekaler/bestall/", decal_views.order_create, name="decal_order"),
]
