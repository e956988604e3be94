"""The instructor's schedule, calendar files and the personal feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.calendar import instructor_feed, meeting_ics
from meetings.models import Meeting


@pytest.fixture
def planned(group_sundsvall, anna_sundsvall, per_police):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)
    return services.meeting_create(
        group=group_sundsvall,
        created_by=anna_sundsvall,
        instructors=[per_police],
        title="Samverkansmöte Sundsvall",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
        capacity=30,
    )


def _events(data: bytes):
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_meeting_ics_carries_uid_sequence_and_status(planned):
    cal = Calendar.from_ical(meeting_ics(planned))
    assert cal["METHOD"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{planned.uid}@tif-portal"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == planned.starts_at
    assert "Stadshuset" in str(event["LOCATION"])


def test_cancelled_meeting_ics_is_a_cancel(planned, anna_sundsvall):
    services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    planned.refresh_from_db()
    cal = Calendar.from_ical(meeting_ics(planned))
    assert cal["METHOD"] == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_feed_shows_a_meeting_and_then_its_cancellation(planned, per_police, anna_sundsvall):
    (event,) = _events(instructor_feed(per_police))
    assert str(event["STATUS"]) == "CONFIRMED"
    first_sequence = int(event["SEQUENCE"])
    services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    (event,) = _events(instructor_feed(per_police))
    assert str(event["UID"]) == f"{planned.uid}@tif-portal"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) > first_sequence


def test_feed_leaves_out_meetings_older_than_thirty_days_and_other_peoples(
    make_meeting, group_sundsvall, per_police, tove_customs
):
    old = make_meeting(group_sundsvall, days=-31, title="Gammalt möte")
    recent = make_meeting(group_sundsvall, days=-29, title="Nyligen")
    other = make_meeting(group_sundsvall, title="Tove undervisar")
    old.instructors.add(per_police)
    recent.instructors.add(per_police)
    other.instructors.add(tove_customs)
    summaries = [str(e["SUMMARY"]) for e in _events(instructor_feed(per_police))]
    assert summaries == ["Nyligen"]
