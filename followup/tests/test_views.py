from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUp, SeizureFeedback, SurveyInvitation, SurveyResponse
from meetings.models import Invitation, Meeting
from municipalities.models import ActionItem
from tif_portal.testing.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_overdue_follow_ups_come_first_with_a_badge(client, anna_sundsvall, make_meeting, group_sundsvall):
    later = FollowUp.objects.create(
        meeting=make_meeting(group_sundsvall, days=-10, title="Senare"),
        due_date=timezone.localdate() + timedelta(days=5),
    )
    overdue = FollowUp.objects.create(
        meeting=make_meeting(group_sundsvall, days=-400, title="Försenat möte"),
        due_date=timezone.localdate() - timedelta(days=3),
    )
    client.force_login(anna_sundsvall)
    page = client.get(reverse("followup:followup_list")).content.decode()
    assert page.index("Försenat möte") < page.index("Senare")
    assert "badge text-bg-danger" in page
    assert list(client.get(reverse("followup:followup_list")).context["page"]) == [overdue, later]


def test_one_click_creates_the_follow_up_meeting_and_invites_the_attendees(
    client, anna_sundsvall, follow_up, held_meeting, contacts_sundsvall, attend, django_capture_on_commit_callbacks
):
    attend(held_meeting, contacts_sundsvall, present=contacts_sundsvall[1:3])
    client.force_login(anna_sundsvall)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followup:followup_meeting_create", args=[follow_up.pk]))
    meeting = Meeting.objects.get(kind=Meeting.Kind.FOLLOW_UP)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert set(Invitation.objects.filter(meeting=meeting).values_list("contact", flat=True)) == {
        c.pk for c in contacts_sundsvall[1:3]
    }


def test_an_instructor_cannot_create_the_follow_up_meeting(client, per_police, follow_up):
    client.force_login(per_police)
    assert client.post(reverse("followup:followup_meeting_create", args=[follow_up.pk])).status_code == 403


def test_the_follow_up_page_shows_attendees_feedback_and_the_one_click_button(
    client, anna_sundsvall, follow_up, held_meeting, contacts_sundsvall, attend
):
    attend(held_meeting, contacts_sundsvall, present=contacts_sundsvall[:1])
    SeizureFeedback.objects.create(
        working_group=held_meeting.working_group,
        period_start=timezone.localdate() - timedelta(days=200),
        period_end=timezone.localdate(),
        summary="Fem beslag av vapendelar.",
    )
    client.force_login(anna_sundsvall)
    page = client.get(follow_up.get_absolute_url()).content.decode()
    assert contacts_sundsvall[0].name in page and contacts_sundsvall[1].name not in page
    assert "Fem beslag av vapendelar." in page
    assert "Skapa uppföljningsmöte" in page


def test_seizure_feedback_form_warns_about_personal_data_and_limits_the_length(client, per_police, group_sundsvall):
    client.force_login(per_police)
    url = reverse("followup:seizure_feedback", args=[group_sundsvall.pk])
    page = client.get(url).content.decode()
    assert "Inga personuppgifter" in page and 'maxlength="1000"' in page
    response = client.post(url, {"period_start": "2025-01-01", "period_end": "2025-06-30", "summary": "x" * 1001})
    assert (
        "Korta sammanfattningen till högst 1 000 tecken."
        in response.content.decode()
    )
    response = client.post(url, {"period_start": "2025-01-01", "period_end": "2025-06-30", "summary": "Två beslag."})
    assert response.status_code == 302 and SeizureFeedback.objects.get().recorded_by == per_police


def test_a_county_officer_reads_but_does_not_record_seizure_feedback(client, karin_county, group_sundsvall):
    client.force_login(karin_county)
    url = reverse("followup:seizure_feedback", args=[group_sundsvall.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"period_start": "2025-01-01", "period_end": "2025-06-30", "summary": "x"}).status_code == 403
    )


def test_the_coordinators_start_page_shows_overdue_follow_ups_and_due_actions(
    client, anna_sundsvall, make_meeting, group_sundsvall
):
    FollowUp.objects.create(
        meeting=make_meeting(group_sundsvall, days=-400, title="Gammalt möte"),
        due_date=timezone.localdate() - timedelta(days=1),
    )
    ActionItem.objects.create(
        working_group=group_sundsvall,
        what="Skicka pressmeddelande",
        who="Anna",
        due_date=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(anna_sundsvall)
    page = client.get(reverse("home")).content.decode()
    assert "Gammalt möte" in page and "Skicka pressmeddelande" in page and "Försenad" in page


def test_the_group_page_shows_steps_and_criteria_with_what_is_missing(client, anna_sundsvall, group_sundsvall):
    client.force_login(anna_sundsvall)
    page = client.get(group_sundsvall.get_absolute_url()).content.decode()
    assert "Steg och kriterier" in page
    assert "Registrera beslutsdatum" in page
    assert "Lägg till minst en medlem från polisen" in page


def test_the_survey_link_takes_one_anonymous_answer(client, held_meeting, contacts_sundsvall, attend):
    from followup import services

    attend(held_meeting, contacts_sundsvall, present=contacts_sundsvall[:1])
    services.survey_invite(meeting=held_meeting, phase="after")
    invitation = SurveyInvitation.objects.get()
    url = reverse("followup:survey_answer", args=[invitation.token])
    assert "Tre korta frågor" in client.get(url).content.decode()
    response = client.post(url, {"safety": "4", "knows_contact": "yes", "would_report": "no"})
    assert "Tack för dina svar" in response.content.decode()
    answer = SurveyResponse.objects.get()
    assert (answer.safety, answer.knows_contact, answer.would_report, answer.meeting) == (4, True, False, held_meeting)
    assert (
        "redan besvarad"
        in client.post(url, {"safety": "1", "knows_contact": "no", "would_report": "no"}).content.decode()
    )
    assert SurveyResponse.objects.count() == 1
    assert client.get(reverse("followup:survey_answer", args=["nope"])).status_code == 404


def test_survey_results_per_group_over_time(client, anna_sundsvall, held_meeting):
    for safety in (2, 4, 3, 3, 3):
        SurveyResponse.objects.create(
            meeting=held_meeting, phase="after", safety=safety, knows_contact=True, would_report=True
        )
    client.force_login(anna_sundsvall)
    response = client.get(reverse("followup:survey_results", args=[held_meeting.working_group_id]))
    rows = response.context["rows"]
    assert len(rows) == 1 and rows[0]["n"] == 5 and rows[0]["safety"] == 3 and rows[0]["knows_pct"] == 100
    assert "<svg" in response.content.decode()


def test_the_follow_up_list_query_count_does_not_grow(client, anna_sundsvall, make_meeting, group_sundsvall):
    def follow_ups(numbers):
        for n in numbers:
            FollowUp.objects.create(
                meeting=make_meeting(group_sundsvall, days=-n - 1, title=f"Möte nummer {n}"),
                due_date=timezone.localdate() + timedelta(days=n),
            )

    follow_ups(range(2))
    client.force_login(anna_sundsvall)
    assert_queries_do_not_grow(
        client, reverse("followup:followup_list"), grow=lambda: follow_ups(range(2, 30)), budget=8,
        shows=["Möte nummer 1"], shows_after_growth=["Möte nummer 1", "Möte nummer 29"],
    )
    assert_queries_do_not_grow(client, reverse("home"), grow=lambda: follow_ups(range(30, 40)), budget=25,
                               shows=["Möte nummer"])
