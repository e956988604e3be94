"""The instructor's schedule, calendar files and the personal feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.calendar import instructor_feed, meeting_ics
from meetings.services import meetings as meeting_services


@pytest.fixture
def planned(group_sundsvall, anna_sundsvall, per_police):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)
    return meeting_services.meeting_create(
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
    meeting_services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    planned.refresh_from_db()
    cal = Calendar.from_ical(meeting_ics(planned))
    assert cal["METHOD"] == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_feed_shows_a_meeting_and_then_its_cancellation(planned, per_police, anna_sundsvall):
    (event,) = _events(instructor_feed(per_police))
    assert str(event["STATUS"]) == "CONFIRMED"
    first_sequence = int(event["SEQUENCE"])
    meeting_services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
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


# Pages --------------------------------------------------------------------------------


def test_my_schedule_lists_coming_meetings_across_groups_and_confirms(client, per_police, planned, meeting_harnosand):
    meeting_harnosand.instructors.add(per_police)
    client.force_login(per_police)
    response = client.get(reverse("meetings:my_schedule"))
    page = response.content.decode()
    assert planned.get_absolute_url() in page and meeting_harnosand.get_absolute_url() in page
    assert per_police.feed_token in page
    client.post(reverse("meetings:instructor_answer", args=[planned.pk]), {"answer": "yes"})
    assert planned.instructor_links.get().confirmed_at is not None
    assert "Du kommer" in client.get(reverse("meetings:my_schedule")).content.decode()


def test_only_the_meetings_instructors_can_confirm(client, tove_customs, planned):
    client.force_login(tove_customs)
    assert client.post(reverse("meetings:instructor_answer", args=[planned.pk]), {"answer": "yes"}).status_code == 404


def test_the_feed_is_served_as_text_calendar_by_its_secret_address(client, per_police, planned):
    url = reverse("meetings:calendar_feed", args=[per_police.feed_token])
    assert url == f"/moten/kalender/{per_police.feed_token}.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = _events(response.content)
    assert str(event["SUMMARY"]) == "Samverkansmöte Sundsvall"


def test_a_renewed_token_retires_the_old_feed_address(client, per_police, planned):
    old = reverse("meetings:calendar_feed", args=[per_police.feed_token])
    per_police.renew_feed_token()
    assert client.get(old).status_code == 404
    assert client.get(reverse("meetings:calendar_feed", args=[per_police.feed_token])).status_code == 200


def test_the_feed_reads_a_fixed_number_of_queries(
    client, per_police, make_meeting, group_sundsvall, django_assert_max_num_queries
):
    for days in range(1, 21):
        make_meeting(group_sundsvall, days=days).instructors.add(per_police)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("meetings:calendar_feed", args=[per_police.feed_token]))
    assert len(_events(response.content)) == 20
