from django.urls import path

from meetings.views import documents, meetings, schedule, sites

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
    # Documents: each as PDF and as a web page for screen readers.
    path("<int:pk>/dokument/inbjudan.pdf", documents.invitation_letter_pdf, name="invitation_letter_pdf"),
    path("<int:pk>/dokument/inbjudan/", documents.invitation_letter_html, name="invitation_letter_html"),
    path("<int:pk>/dokument/checklista.pdf", documents.document_pdf, {"slug": "checklist"}, name="checklist_pdf"),
    path("<int:pk>/dokument/checklista/", documents.document_html, {"slug": "checklist"}, name="checklist_html"),
    path("<int:pk>/dokument/narvarolista.pdf", documents.document_pdf, {"slug": "attendance"}, name="attendance_sheet_pdf"),
    path("<int:pk>/dokument/narvarolista/", documents.document_html, {"slug": "attendance"}, name="attendance_sheet_html"),
    path("<int:pk>/dokument/minnesanteckningar.pdf", documents.document_pdf, {"slug": "minutes"}, name="minutes_pdf"),
    path("<int:pk>/dokument/minnesanteckningar/", documents.document_html, {"slug": "minutes"}, name="minutes_html"),
    path("<int:pk>/dokument/informationsblad.pdf", documents.document_pdf, {"slug": "information"}, name="information_sheet_pdf"),
    path("<int:pk>/dokument/informationsblad/", documents.document_html, {"slug": "information"}, name="information_sheet_html"),
    path("<int:pk>/dokument/dekal-<str:size>.pdf", documents.decal_pdf, name="decal_pdf"),
    path("<int:pk>/dokument/dekal-<str:size>/", documents.decal_html, name="decal_html"),
    path("<int:pk>/dokument/inbjudningsbrev/", documents.invitation_letters_start, name="invitation_letters_start"),
    path("<int:pk>/dokument/brevtext/", documents.invitation_text_edit, name="invitation_text_edit"),
    path("<int:pk>/dokument/logotyp/", documents.logo_upload, name="logo_upload"),
]
