from django.urls import path

from meetings.views import meetings

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
]
