from django.urls import path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("arbetsgrupper/", views.group_list, name="group_list"),
    path("arbetsgrupper/ny/", views.group_create, name="group_create"),
    path("arbetsgrupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("arbetsgrupper/<int:pk>/andra/", views.group_update, name="group_update"),
    path("arbetsgrupper/<int:pk>/medlemmar/ny/", views.member_add, name="member_add"),
    path("medlemskap/<int:pk>/ta-bort/", views.member_remove, name="member_remove"),
    path("lan/<str:code>/", views.county_detail, name="county_detail"),
]
