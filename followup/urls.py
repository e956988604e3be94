from django.urls import path
from django.views.generic import RedirectView

from followup import views

app_name = "followup"

urlpatterns = [
    path("", views.followup_list, name="followup_list"),
    path("<int:pk>/", views.followup_detail, name="followup_detail"),
    path("<int:pk>/planera-mote/", views.followup_meeting_create, name="followup_meeting_create"),
    path("<int:pk>/genomford/", views.followup_done, name="followup_done"),
    path("grupper/<int:pk>/beslag/", views.seizure_feedback, name="seizure_feedback"),
    path("beslag/<int:pk>/andra/", views.seizure_feedback_update, name="seizure_feedback_update"),
    path("beslag/<int:pk>/ta-bort/", views.seizure_feedback_delete, name="seizure_feedback_delete"),
    # The plans live with the working group now; links in mail already sent keep working.
    path("grupper/<int:pk>/planer/", RedirectView.as_view(pattern_name="municipalities:plans"), name="plans"),
    path("atgarder/<int:pk>/", RedirectView.as_view(pattern_name="municipalities:action_update"), name="action_update"),
    path(
        "kommunikation/<int:pk>/",
        RedirectView.as_view(pattern_name="municipalities:communication_update"),
        name="communication_update",
    ),
    path("grupper/<int:pk>/enkat/", views.survey_results, name="survey_results"),
    path("enkat/<str:token>/", views.survey_answer, name="survey_answer"),
    path("lan/<str:code>/", views.county_dashboard, name="county_dashboard"),
    path("lan/<str:code>/export.csv", views.county_export_csv, name="county_export_csv"),
    path("lan/<str:code>/rapport.pdf", views.county_report_pdf, name="county_report_pdf"),
]
