"""The survey and the one-click follow-up work without JavaScript (the role crawls check the
follow-up pages themselves with axe in both languages)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from followup import services
from followup.models import SeizureFeedback, SurveyInvitation, SurveyResponse
from meetings.models import Meeting, Registration
from municipalities.models import ActionItem, CommunicationItem, SituationEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(anna_sundsvall, per_police, karin_county, make_meeting, group_sundsvall, contact_sundsvall):
    held = make_meeting(group_sundsvall, days=-380, title="Samverkansmöte våren")
    held.instructors.add(per_police)
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    held.refresh_from_db()
    Registration.objects.create(meeting=held, contact=contact_sundsvall, checked_in_at=held.starts_at)
    follow_up = services.followup_create_for(held)
    today = timezone.localdate()
    SeizureFeedback.objects.create(
        working_group=group_sundsvall,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        summary="Tolv beslag av narkotika i försändelser.",
        recorded_by=per_police,
    )
    SituationEntry.objects.create(working_group=group_sundsvall, date=today, source="Polisen", text="Fler paket.")
    action = ActionItem.objects.create(
        working_group=group_sundsvall, what="Besök ombuden", who="Anna", due_date=today - timedelta(days=2)
    )
    communication = CommunicationItem.objects.create(
        working_group=group_sundsvall, audience="Allmänheten", message="Vi samarbetar", who="Anna", date=today
    )
    SurveyResponse.objects.create(meeting=held, phase="after", safety=4, knows_contact=True, would_report=True)
    services.survey_invite(meeting=held, phase="before_follow_up")
    return {
        "group": group_sundsvall,
        "coordinator_pages": [
            "/",
            reverse("followup:followup_list"),
            follow_up.get_absolute_url(),
            reverse("followup:seizure_feedback", args=[group_sundsvall.pk]),
            reverse("followup:plans", args=[group_sundsvall.pk]),
            reverse("followup:action_update", args=[action.pk]),
            reverse("followup:communication_update", args=[communication.pk]),
            reverse("followup:survey_results", args=[group_sundsvall.pk]),
            group_sundsvall.get_absolute_url(),
        ],
        "county_pages": [reverse("followup:county_dashboard", args=["22"])],
        "survey": reverse("followup:survey_answer", args=[SurveyInvitation.objects.get().token]),
        "anna": anna_sundsvall,
        "karin": karin_county,
        "per": per_police,
    }


def test_the_survey_works_without_javascript_and_its_link_works_once(nojs_page, live_server, world):
    nojs_page.goto(world["survey"])
    nojs_page.get_by_label("4").check()
    nojs_page.locator("#id_knows_contact_0").check()
    nojs_page.locator("#id_would_report_0").check()
    nojs_page.get_by_role("button", name="Skicka svaren").click()
    expect(nojs_page.get_by_text("Tack för dina svar")).to_be_visible()
    assert SurveyResponse.objects.filter(phase="before_follow_up").count() == 1
    # The used link now shows the thank-you page.
    nojs_page.goto(world["survey"])
    assert "Enkäten är redan besvarad" in nojs_page.content()


def test_one_click_follow_up_works_without_javascript(nojs_page, live_server, world, browser_login):
    browser_login(nojs_page, world["anna"])
    nojs_page.goto(world["coordinator_pages"][2])
    nojs_page.get_by_role("button", name="Skapa uppföljningsmöte och bjud in deltagarna").click()
    assert Meeting.objects.filter(kind=Meeting.Kind.FOLLOW_UP).count() == 1
    assert "/moten/" in nojs_page.url
