"""Data for the follow-up tests: a held collaboration meeting with attendees."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followup import services
from meetings.models import Meeting, Registration


@pytest.fixture
def attend():
    """Register contacts at a meeting; those in ``present`` are checked in."""

    def attend(meeting, contacts, present=()):
        present = {c.pk for c in present}
        for contact in contacts:
            Registration.objects.create(
                meeting=meeting,
                contact=contact,
                checked_in_at=meeting.starts_at if contact.pk in present else None,
            )

    return attend


@pytest.fixture
def held_meeting(make_meeting, group_sundsvall, anna_sundsvall, per_police):
    meeting = make_meeting(group_sundsvall, days=-300, place="Folkets hus", address="Köpmangatan 1")
    meeting.instructors.add(per_police)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def follow_up(held_meeting):
    return services.followup_create_for(held_meeting)


@pytest.fixture
def contacts_sundsvall(make_contact, make_site, sundsvall):
    sites = [make_site(sundsvall) for _ in range(3)]
    return [make_contact(sites[n % 3]) for n in range(5)]


def days(n):
    return timezone.localdate() + timedelta(days=n)
