from django.urls import path

from municipalities.views import groups, plans, report

app_name = "municipalities"

urlpatterns = [
    path("arbetsgrupper/", groups.group_list, name="group_list"),
    path("arbetsgrupper/ny/", groups.group_create, name="group_create"),
    path("arbetsgrupper/<int:pk>/", groups.group_detail, name="group_detail"),
    path("arbetsgrupper/<int:pk>/andra/", groups.group_update, name="group_update"),
    path("arbetsgrupper/<int:pk>/medlemmar/ny/", groups.member_add, name="member_add"),
    path("medlemskap/<int:pk>/ta-bort/", groups.member_remove, name="member_remove"),
    path("lan/<str:code>/", groups.county_detail, name="county_detail"),
    # Plans (steps 1–3).
    path("arbetsgrupper/<int:pk>/planer/", plans.plans, name="plans"),
    path("arbetsgrupper/<int:pk>/beslut/", plans.decision_update, name="decision_update"),
    path("arbetsgrupper/<int:pk>/beslut/dokument/", plans.decision_document, name="decision_document"),
    path("atgarder/<int:pk>/", plans.action_update, name="action_update"),
    path("kommunikation/<int:pk>/", plans.communication_update, name="communication_update"),
    path("mal/<int:pk>/", plans.goal_update, name="goal_update"),
    path("lagesbild/<int:pk>/", plans.situation_update, name="situation_update"),
    path("lagesbild/<int:pk>/inaktuell/", plans.situation_retire, name="situation_retire"),
    # The yearly report to the leadership.
    path("arbetsgrupper/<int:pk>/rapport/", report.report_html, name="report"),
    path("arbetsgrupper/<int:pk>/rapport/<int:year>.pdf", report.report_pdf, name="report_pdf"),
    path("arbetsgrupper/<int:pk>/rapport/<int:year>/skicka/", report.report_send, name="report_send"),
]
