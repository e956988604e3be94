from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from freezegun import freeze_time

from followup import services
from followup.models import FollowUp, SeizureFeedback, SurveyInvitation
from meetings.models import Meeting
from municipalities import plans
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def meeting_a_year_ago(make_meeting, group_sundsvall, anna_sundsvall, per_police):
    start = datetime(2025, 3, 10, 9, 0, tzinfo=STOCKHOLM)
    meeting = make_meeting(group_sundsvall, starts_at=start, ends_at=start + timedelta(hours=2),
                           registration_deadline=start - timedelta(days=2), status=Meeting.Status.HELD)
    services.followup_create_for(meeting)
    return meeting


def _run_days(start: date, end: date, times=("00:10", "06:15", "12:00", "23:50")) -> dict[str, date]:
    """Run the daily services at each of ``times`` (Stockholm) on every day from ``start`` to
    ``end``, with an explicit clock; returns the day each reminder was first queued."""
    first_queued = {}
    day = start
    while day <= end:
        for clock in times:
            now = datetime.combine(day, time.fromisoformat(clock), tzinfo=STOCKHOLM)
            services.followup_daily(now=now)
        for key in OutboundEmail.objects.filter(purpose="followup_reminder").values_list("key", flat=True):
            first_queued.setdefault(key, day)
        day += timedelta(days=1)
    return first_queued


def test_a_meeting_held_a_year_ago_gives_one_reminder_at_each_threshold_however_often_the_task_runs(
    meeting_a_year_ago, anna_sundsvall, per_police
):
    follow_up = FollowUp.objects.get(meeting=meeting_a_year_ago)
    assert follow_up.due_date == date(2026, 3, 10)
    first_queued = _run_days(date(2025, 12, 20), date(2026, 3, 20))

    keys = sorted(OutboundEmail.objects.filter(purpose="followup_reminder").values_list("key", flat=True))
    assert keys == sorted(
        f"followup:{follow_up.pk}:{which}:{user.pk}" for which in ("first", "second") for user in (anna_sundsvall, per_police)
    )
    # By default 60 and 14 days before 10 March.
    assert {day for key, day in first_queued.items() if ":first:" in key} == {date(2026, 1, 9)}
    assert {day for key, day in first_queued.items() if ":second:" in key} == {date(2026, 2, 24)}
    follow_up.refresh_from_db()
    assert follow_up.first_reminder_sent_at and follow_up.second_reminder_sent_at


def test_a_follow_up_found_late_gets_no_stale_60_day_reminder(meeting_a_year_ago):
    _run_days(date(2026, 3, 1), date(2026, 3, 12), times=("06:15",))
    keys = list(OutboundEmail.objects.filter(purpose="followup_reminder").values_list("key", flat=True))
    assert keys and all(":second:" in key for key in keys)


def test_a_group_chooses_when_its_follow_up_reminders_come(meeting_a_year_ago, anna_sundsvall, per_police):
    group = meeting_a_year_ago.working_group
    group.first_reminder_days, group.second_reminder_days = 30, 5
    group.save()
    first_queued = _run_days(date(2026, 1, 1), date(2026, 3, 10), times=("06:15",))
    assert {day for key, day in first_queued.items() if ":first:" in key} == {date(2026, 2, 8)}  # 30 days before
    assert {day for key, day in first_queued.items() if ":second:" in key} == {date(2026, 3, 5)}  # 5 days before


def test_the_reminder_mail_carries_the_seizure_feedback(
    meeting_a_year_ago, per_police, django_capture_on_commit_callbacks
):
    SeizureFeedback.objects.create(
        working_group=meeting_a_year_ago.working_group,
        period_start=date(2025, 3, 1),
        period_end=date(2025, 12, 31),
        summary="Sju beslag av läkemedel i försändelser till ombud i kommunen.",
        recorded_by=per_police,
    )
    with freeze_time(datetime(2026, 1, 9, 6, 15)), django_capture_on_commit_callbacks(execute=True):
        services.followup_reminders_send()
    assert len(mail.outbox) == 2
    assert "Sju beslag av läkemedel" in mail.outbox[0].body
    assert "/uppfoljning/" in mail.outbox[0].body


def test_participants_get_the_survey_after_the_meeting_and_before_the_follow_up(
    meeting_a_year_ago, contacts_sundsvall, attend
):
    attend(meeting_a_year_ago, contacts_sundsvall, present=contacts_sundsvall[:2])
    _run_days(date(2025, 3, 10), date(2025, 3, 12), times=("12:00", "23:00"))
    assert SurveyInvitation.objects.filter(phase="after").count() == 2
    _run_days(date(2026, 2, 23), date(2026, 2, 25), times=("06:15", "12:00"))
    assert SurveyInvitation.objects.filter(phase="before_follow_up").count() == 2
    assert OutboundEmail.objects.filter(purpose="survey").count() == 4


def test_the_beat_schedule_runs_the_daily_and_weekly_tasks():
    from tif_portal.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "followup.tasks.followup_daily", "municipalities.tasks.actions_digest_weekly", "municipalities.tasks.action_reminders_daily",
    } <= tasks_scheduled


def test_survey_and_digest_mails_render_with_their_links(
    group_sundsvall, anna_sundsvall, meeting_a_year_ago, contacts_sundsvall, attend, django_capture_on_commit_callbacks
):
    from municipalities.models import ActionItem

    attend(meeting_a_year_ago, contacts_sundsvall, present=contacts_sundsvall[:1])
    ActionItem.objects.create(working_group=group_sundsvall, what="Ring Bring", who="Anna", due_date=date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invite(meeting=meeting_a_year_ago, phase="after")
    with django_capture_on_commit_callbacks(execute=True):
        plans.actions_digest_send()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    token = SurveyInvitation.objects.get().token
    assert f"/uppfoljning/enkat/{token}/" in bodies[contacts_sundsvall[0].email]
    assert "Ring Bring" in bodies[anna_sundsvall.email] and "FÖRSENAD" in bodies[anna_sundsvall.email]
