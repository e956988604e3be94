from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
]
