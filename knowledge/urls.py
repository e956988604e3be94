from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.page_list, name="page_list"),
    path("sok/", views.page_search, name="page_search"),
    path("sidor/ny/", views.page_create, name="page_create"),
    path("sidor/<slug:slug>/", views.page_detail, name="page_detail"),
    path("sidor/<slug:slug>/andra/", views.page_update, name="page_update"),
    path("sidor/<slug:slug>/versioner/", views.page_history, name="page_history"),
    path("sidor/<slug:slug>/versioner/<int:version>/", views.page_version, name="page_version"),
    path("sidor/<slug:slug>/material/", views.page_material, name="page_material"),
    path("bilder/", views.image_list, name="image_list"),
    path("material/mote/<int:pk>/", views.meeting_material, name="meeting_material"),
    path("material/<int:pk>/fil/", views.material_file, name="material_file"),
    path("material/<int:pk>/ta-bort/", views.material_delete, name="material_delete"),
    path("material/for/<str:token>/", views.material_personal, name="material_personal"),
    path("material/for/<str:token>/<int:pk>/", views.material_personal_file, name="material_personal_file"),
    path("kontakter/<int:group_id>/", views.contact_sheet, name="contact_sheet"),
    path("kontakter/<int:group_id>/kontaktblad.pdf", views.contact_sheet_pdf, name="contact_sheet_pdf"),
    path("kontakter/<int:group_id>/val/", views.contact_sheet_choose, name="contact_sheet_choose"),
    path("integritet/", views.privacy_notice, name="privacy_notice"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility_statement"),
    path("tillganglighet/synpunkter/", views.accessibility_report, name="accessibility_report"),
    path("tillganglighet/tack/", views.accessibility_report_sent, name="accessibility_report_sent"),
]
