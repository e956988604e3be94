from django.urls import path

from meetings.views import meetings, schedule, sites

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("nytt/", meetings.meeting_create, name="meeting_create"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/andra/", meetings.meeting_update, name="meeting_update"),
    path("<int:pk>/stall-in/", meetings.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/kopiera/", meetings.meeting_copy, name="meeting_copy"),
    path("<int:pk>/bekrafta/", schedule.instructor_confirm, name="instructor_confirm"),
    path("checklista/<int:pk>/", meetings.checklist_tick, name="checklist_tick"),
    path("mitt-schema/", schedule.my_schedule, name="my_schedule"),
    path("kalender/<str:token>.ics", schedule.calendar_feed, name="calendar_feed"),
    path("arbetsplatser/", sites.site_list, name="site_list"),
    path("arbetsplatser/ny/", sites.site_create, name="site_create"),
    path("arbetsplatser/import/", sites.site_import, name="site_import"),
    path("arbetsplatser/import/granska/", sites.site_import_preview, name="site_import_preview"),
    path("arbetsplatser/<int:pk>/", sites.site_detail, name="site_detail"),
    path("arbetsplatser/<int:pk>/andra/", sites.site_update, name="site_update"),
    path("arbetsplatser/<int:pk>/ny-kontakt/", sites.contact_create, name="contact_create"),
    path("kontakter/<int:pk>/", sites.contact_detail, name="contact_detail"),
    path("kontakter/<int:pk>/andra/", sites.contact_update, name="contact_update"),
]
