"""Meetings: services (create, update, cancel, copy, checklist, confirm) and the coordinator's pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.checklist import ANNEX_2
from meetings.models import Meeting, MeetingInstructor
from tif_portal.models import OutboundEmail


def _start(days=10):
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)


@pytest.fixture
def planned(group_sundsvall, anna_sundsvall, per_police):
    start = _start()
    return services.meeting_create(
        group=group_sundsvall,
        created_by=anna_sundsvall,
        instructors=[per_police],
        title="Samverkansmöte Sundsvall",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
        capacity=30,
        registration_deadline=start - timedelta(days=2),
        agenda=services.default_agenda(),
    )


def _ics_of(message):
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    content = attachment[1]
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


# Services -------------------------------------------------------------------------


def test_creating_a_meeting_makes_the_annex_2_checklist_and_mails_each_instructor(
    group_sundsvall, anna_sundsvall, per_police, django_capture_on_commit_callbacks
):
    start = _start()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_create(
            group=group_sundsvall,
            created_by=anna_sundsvall,
            instructors=[per_police],
            title="Samverkansmöte",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Stadshuset",
        )
    assert [item.key for item in meeting.checklist.all()] == [key for key, _ in ANNEX_2]
    assert list(meeting.instructors.all()) == [per_police]
    (message,) = mail.outbox
    assert message.to == ["per@polisen.example"]
    cal = _ics_of(message)
    assert cal["METHOD"] == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["UID"]) == f"{meeting.uid}@tif-portal"


def test_moving_a_meeting_raises_the_sequence_and_tells_the_instructors(
    planned, anna_sundsvall, django_capture_on_commit_callbacks
):
    services.instructor_confirm(meeting=planned, user=planned.instructors.get())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=planned,
            updated_by=anna_sundsvall,
            starts_at=planned.starts_at + timedelta(hours=1),
            ends_at=planned.ends_at + timedelta(hours=1),
        )
    planned.refresh_from_db()
    assert planned.sequence == 1
    (message,) = [m for m in mail.outbox if m.subject.startswith("Ändrat möte")]
    event = _ics_of(message).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert MeetingInstructor.objects.get(meeting=planned).confirmed_at is None, "the new time needs confirming"


def test_an_update_that_changes_nothing_keeps_the_sequence_and_sends_nothing(planned, anna_sundsvall):
    before = OutboundEmail.objects.count()
    services.meeting_update(meeting=planned, updated_by=anna_sundsvall, title=planned.title)
    planned.refresh_from_db()
    assert planned.sequence == 0
    assert OutboundEmail.objects.count() == before


def test_changing_instructors_tells_the_new_one_and_withdraws_from_the_old(
    planned, anna_sundsvall, per_police, make_user_instructor
):
    olle = make_user_instructor("olle@polisen.example", "Olle Polis")
    services.meeting_update(meeting=planned, updated_by=anna_sundsvall, instructors=[olle])
    assert list(planned.instructors.all()) == [olle]
    purposes = dict(OutboundEmail.objects.filter(purpose__startswith="meeting_instructor").values_list("to", "purpose").order_by("id"))
    assert purposes["olle@polisen.example"] == "meeting_instructor_assigned"
    assert purposes["per@polisen.example"] == "meeting_instructor_removed"


def test_cancelling_a_meeting_sends_a_cancel_with_a_higher_sequence(
    planned, anna_sundsvall, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.CANCELLED
    assert planned.sequence == 1
    (message,) = [m for m in mail.outbox if m.subject.startswith("Inställt möte")]
    cal = _ics_of(message)
    assert cal["METHOD"] == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    # Cancelling twice changes nothing more.
    services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    planned.refresh_from_db()
    assert planned.sequence == 1


def test_copying_a_meeting_keeps_place_instructors_and_agenda_with_a_fresh_checklist(planned, anna_sundsvall, per_police):
    item = planned.checklist.first()
    services.checklist_tick(item=item, user=anna_sundsvall, done=True)
    copy = services.meeting_copy(meeting=planned, weeks=52, created_by=anna_sundsvall)
    assert copy.pk != planned.pk and copy.uid != planned.uid
    assert copy.starts_at == planned.starts_at + timedelta(weeks=52)
    assert copy.ends_at == planned.ends_at + timedelta(weeks=52)
    assert copy.registration_deadline == planned.registration_deadline + timedelta(weeks=52)
    assert (copy.place, copy.agenda, copy.capacity) == (planned.place, planned.agenda, planned.capacity)
    assert list(copy.instructors.all()) == [per_police]
    assert copy.checklist.count() == len(ANNEX_2)
    assert not copy.checklist.filter(done_at__isnull=False).exists()
    assert copy.sequence == 0


def test_ticking_and_unticking_a_checklist_item_records_who_and_when(planned, anna_sundsvall):
    item = planned.checklist.get(key="book_room")
    services.checklist_tick(item=item, user=anna_sundsvall, done=True)
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == anna_sundsvall
    services.checklist_tick(item=item, user=anna_sundsvall, done=False)
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_an_instructor_confirms_once(planned, per_police):
    first = services.instructor_confirm(meeting=planned, user=per_police).confirmed_at
    assert first is not None
    assert services.instructor_confirm(meeting=planned, user=per_police).confirmed_at == first


@pytest.fixture
def make_user_instructor(group_sundsvall):
    from accounts.models import User
    from municipalities.models import Membership
    from tif_portal.testing import PASSWORD

    def make(email, name, group=None):
        user = User.objects.create_user(email, PASSWORD, name=name, role=User.Role.INSTRUCTOR)
        Membership.objects.create(working_group=group or group_sundsvall, user=user, role=Membership.Role.POLICE)
        return user

    return make
