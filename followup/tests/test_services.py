from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.models import FollowUp, SeizureFeedback, SurveyInvitation, SurveyPhase, SurveyResponse
from meetings.models import Invitation, Meeting
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_due_date_is_the_meeting_date_plus_the_groups_follow_up_months(held_meeting):
    held_meeting.working_group.follow_up_months = 6
    held_meeting.working_group.save()
    follow_up = services.followup_create_for(held_meeting)
    assert follow_up.due_date == services.add_months(timezone.localtime(held_meeting.starts_at).date(), 6)


def test_add_months_keeps_the_end_of_a_short_month():
    assert services.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert services.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert services.add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_creating_the_follow_up_twice_gives_the_same_row(held_meeting):
    first = services.followup_create_for(held_meeting)
    assert services.followup_create_for(held_meeting) == first
    assert FollowUp.objects.count() == 1


def test_only_collaboration_meetings_get_a_follow_up(make_meeting, group_sundsvall):
    training = make_meeting(group_sundsvall, days=-5, kind=Meeting.Kind.TRAINING)
    cancelled = make_meeting(group_sundsvall, days=-5, status=Meeting.Status.CANCELLED)
    assert services.followup_create_for(training) is None
    assert services.followup_create_for(cancelled) is None


def test_daily_task_creates_missing_follow_ups_for_held_collaboration_meetings_only(make_meeting, group_sundsvall):
    held = make_meeting(group_sundsvall, days=-3, status=Meeting.Status.HELD)
    make_meeting(group_sundsvall, days=10)
    make_meeting(group_sundsvall, days=-3, kind=Meeting.Kind.WORKING_GROUP, status=Meeting.Status.HELD)
    assert services.followups_create_missing() == 1
    assert services.followups_create_missing() == 0
    assert list(FollowUp.objects.values_list("meeting", flat=True)) == [held.pk]


def test_a_planned_meeting_dated_in_the_past_gets_no_follow_up_and_no_reminders(
    make_meeting, group_sundsvall, anna_sundsvall
):
    """Nobody marked it held and nobody attended: the daily task leaves it alone, day after day."""
    never_held = make_meeting(group_sundsvall, days=-330)
    assert services.followup_create_for(never_held) is None
    for day in range(0, 40):
        services.followup_daily(now=timezone.now() + timedelta(days=day))
    assert not FollowUp.objects.filter(meeting=never_held).exists()
    assert not OutboundEmail.objects.filter(purpose="followup_reminder").exists()

    services.meeting_mark_held(meeting=never_held)
    assert FollowUp.objects.filter(meeting=never_held).count() == 1


def test_an_overdue_follow_up_is_escalated_to_the_county_officer_once(
    held_meeting, follow_up, karin_county, ulla_uppsala_county, anna_sundsvall, django_capture_on_commit_callbacks
):
    follow_up.due_date = timezone.localdate() - timedelta(days=3)
    follow_up.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followup_daily()["escalated"] == 1
        assert services.followup_daily()["escalated"] == 0
    escalations = OutboundEmail.objects.filter(purpose="followup_escalation")
    assert [e.to for e in escalations] == [karin_county.email]
    message = next(m for m in mail.outbox if m.to == [karin_county.email])
    assert "Sundsvall" in message.subject and held_meeting.title in message.subject
    assert "för 3 dagar sedan" in message.body and follow_up.get_absolute_url() in message.body
    follow_up.refresh_from_db()
    assert follow_up.escalated_at is not None


def test_a_follow_up_not_yet_due_or_done_is_not_escalated(follow_up, karin_county):
    services.followups_escalate_overdue(today=follow_up.due_date)
    follow_up.state = FollowUp.State.DONE
    follow_up.save()
    services.followups_escalate_overdue(today=follow_up.due_date + timedelta(days=30))
    assert not OutboundEmail.objects.filter(purpose="followup_escalation").exists()


def test_the_follow_up_meeting_invites_exactly_those_who_attended(
    follow_up, held_meeting, contacts_sundsvall, attend, anna_sundsvall, make_contact, site_sundsvall
):
    present = contacts_sundsvall[:3]
    attend(held_meeting, contacts_sundsvall, present=present)
    make_contact(site_sundsvall)  # never registered
    meeting = services.followup_meeting_create(follow_up=follow_up, created_by=anna_sundsvall)

    assert meeting.kind == Meeting.Kind.FOLLOW_UP
    assert meeting.place == held_meeting.place and meeting.address == held_meeting.address
    assert abs((timezone.localtime(meeting.starts_at).date() - follow_up.due_date).days) <= 3
    assert set(Invitation.objects.filter(meeting=meeting).values_list("contact", flat=True)) == {c.pk for c in present}
    follow_up.refresh_from_db()
    assert follow_up.follow_up_meeting == meeting and follow_up.state == FollowUp.State.PLANNED


def test_a_second_click_returns_the_same_meeting_and_invites_no_one_new(
    follow_up, held_meeting, contacts_sundsvall, attend, anna_sundsvall
):
    attend(held_meeting, contacts_sundsvall, present=contacts_sundsvall)
    first = services.followup_meeting_create(follow_up=follow_up, created_by=anna_sundsvall)
    second = services.followup_meeting_create(follow_up=follow_up, created_by=anna_sundsvall)
    assert first == second
    assert Meeting.objects.filter(kind=Meeting.Kind.FOLLOW_UP).count() == 1
    assert Invitation.objects.filter(meeting=first).count() == len(contacts_sundsvall)


def test_a_proposed_date_in_the_past_moves_to_a_weekday_three_weeks_ahead(follow_up):
    follow_up.due_date = timezone.localdate() - timedelta(days=30)
    start = services.proposed_start(follow_up)
    assert timezone.localtime(start).date() >= timezone.localdate() + timedelta(days=21)
    assert timezone.localtime(start).weekday() < 5


def test_police_and_coordinators_of_the_group_record_seizure_feedback(
    group_sundsvall, per_police, anna_sundsvall, karin_county
):
    for person in (per_police, anna_sundsvall):
        services.seizure_feedback_record(
            group=group_sundsvall,
            recorded_by=person,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            summary="Tre beslag av narkotika i paket.",
        )
    assert SeizureFeedback.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.seizure_feedback_record(
            group=group_sundsvall,
            recorded_by=karin_county,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            summary="x",
        )


def test_seizure_feedback_longer_than_1000_characters_is_refused(group_sundsvall, per_police):
    with pytest.raises(ValidationError):
        services.seizure_feedback_record(
            group=group_sundsvall,
            recorded_by=per_police,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            summary="å" * 1001,
        )


def test_survey_answers_are_stored_without_a_link_to_the_person(held_meeting, contacts_sundsvall, attend):
    attend(held_meeting, contacts_sundsvall, present=contacts_sundsvall[:2])
    assert services.survey_invite(meeting=held_meeting, phase=SurveyPhase.AFTER_MEETING) == 2
    assert services.survey_invite(meeting=held_meeting, phase=SurveyPhase.AFTER_MEETING) == 0
    invitation = SurveyInvitation.objects.first()
    response = services.survey_answer(invitation=invitation, safety=4, knows_contact=True, would_report=False)
    assert response.meeting == held_meeting
    related = {f.related_model for f in SurveyResponse._meta.get_fields() if f.is_relation}
    assert related == {Meeting}
    assert not any(f.name in ("created_at", "registration", "contact", "token") for f in SurveyResponse._meta.fields)
    with pytest.raises(ValidationError):
        services.survey_answer(invitation=invitation, safety=4, knows_contact=True, would_report=False)


def test_marking_a_meeting_held_creates_its_follow_up_and_sends_the_survey_once(
    meeting_sundsvall, contacts_sundsvall, attend
):
    attend(meeting_sundsvall, contacts_sundsvall, present=contacts_sundsvall[:2])
    follow_up = services.meeting_mark_held(meeting=meeting_sundsvall)
    assert services.meeting_mark_held(meeting=meeting_sundsvall) == follow_up
    meeting_sundsvall.refresh_from_db()
    assert meeting_sundsvall.status == Meeting.Status.HELD
    assert FollowUp.objects.count() == 1
    assert OutboundEmail.objects.filter(purpose="survey").count() == 2


# Seizure feedback names no one ----------------------------------------------------------------


@pytest.mark.parametrize(
    "summary, found",
    [
        ("Beslag hos mottagaren 850709-9805 i Birsta.", "850709-9805"),
        ("Mottagaren 19850709-9805 hämtade inte.", "19850709-9805"),
        ("Ring tipsaren på 070-123 45 67.", "070-123 45 67"),
        ("Kontakta +46 70 123 45 67 vid frågor.", "+46 70 123 45 67"),
        ("Avsändaren nils.nilsson@example.se skickade tre paket.", "nils.nilsson@example.se"),
        ("Se ärende 5000-K123456-24 för detaljer.", "5000-K123456-24"),
        ("Dnr 2026/1234 gäller beslaget.", "Dnr 2026/1234"),
    ],
)
def test_seizure_feedback_refuses_text_that_looks_like_personal_data_and_says_what_to_remove(
    per_police, group_sundsvall, summary, found
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.seizure_feedback_record(
            group=group_sundsvall, recorded_by=per_police, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
            summary=summary,
        )
    assert any(found in message for message in error.value.messages), error.value.messages
    assert not SeizureFeedback.objects.exists()


def test_general_wording_about_seizures_is_accepted(per_police, group_sundsvall):
    feedback = services.seizure_feedback_record(
        group=group_sundsvall, recorded_by=per_police, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
        summary="12 beslag av narkotika och 3 av vapendelar under våren, de flesta i paket till ombud i centrum. "
                "Uppgifterna kom från ombuden vid 4 tillfällen, 2026-03-14 bland annat.",
    )
    assert feedback.pk


def test_a_period_ending_in_the_future_is_refused(per_police, group_sundsvall):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.seizure_feedback_record(
            group=group_sundsvall, recorded_by=per_police, period_start=date(2026, 1, 1),
            period_end=timezone.localdate() + timedelta(days=1), summary="Tre beslag.",
        )
    assert "framtiden" in str(error.value)


def test_the_author_changes_and_removes_feedback_and_the_old_wording_is_not_kept(client, per_police, anna_sundsvall, group_sundsvall):
    feedback = services.seizure_feedback_record(
        group=group_sundsvall, recorded_by=per_police, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31),
        summary="Sju beslag i Birsta.",
    )
    client.force_login(anna_sundsvall)
    assert client.get(reverse("followup:seizure_feedback_update", args=[feedback.pk])).status_code == 403
    client.force_login(per_police)
    page = client.get(reverse("followup:seizure_feedback", args=[group_sundsvall.pk])).content.decode()
    assert reverse("followup:seizure_feedback_update", args=[feedback.pk]) in page
    response = client.post(reverse("followup:seizure_feedback_update", args=[feedback.pk]),
                           {"period_start": "2026-01-01", "period_end": "2026-03-31", "summary": "Sju beslag i centrum."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.summary == "Sju beslag i centrum."
    assert "Birsta" not in " ".join(feedback.history.values_list("summary", flat=True))
    delete = reverse("followup:seizure_feedback_delete", args=[feedback.pk])
    assert "Ja, ta bort" in client.get(delete).content.decode()
    client.post(delete)
    assert not SeizureFeedback.objects.exists()
    assert "centrum" not in " ".join(SeizureFeedback.history.values_list("summary", flat=True))
