"""A meeting that moves or is cancelled reaches everyone it concerns, exactly once, through the
real worker and SMTP: registered participants and invited contacts who have not given their place
back, each in their language, with a calendar file that updates or removes the same event."""

from collections import Counter
from datetime import timedelta

import icalendar
import pytest
import vobject

from meetings.models import Invitation, Registration
from meetings.services import meetings as meeting_services
from meetings.services import outreach
from tif_portal.models import OutboundEmail
from tif_portal.testing.worker import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _calendar(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    raw = part.get_payload(decode=True)
    # Two independent parsers must read the same file the same way.
    parsed = icalendar.Calendar.from_ical(raw)
    other = vobject.readOne(raw.decode())
    event = parsed.walk("VEVENT")[0]
    assert str(event["UID"]) == other.vevent.uid.value
    assert int(event["SEQUENCE"]) == int(other.vevent.sequence.value)
    return parsed, event, raw.decode()


def _wait_for(sink, count, what):
    wait_until(lambda: len(sink.messages) >= count, timeout=60, interval=0.2,
               message=lambda: f"{len(sink.messages)} of {count} {what} arrived: "
                               f"{Counter(OutboundEmail.objects.values_list('purpose', 'state'))}")


@pytest.fixture
def meeting_with_people(meeting_sundsvall, anna_sundsvall, per_police, site_sundsvall, make_contact):
    """Three registered, two invited who have not answered, and one who gave the place back."""
    meeting = meeting_sundsvall
    meeting.contact_person = anna_sundsvall
    meeting.save()
    meeting.instructors.add(per_police)
    names = ["Sara Östlund", "Åsa Öberg", "Märta Ångström", "Olle Ärlig", "Nils Nilsson", "Kim Avbokad"]
    contacts = [make_contact(site_sundsvall, name=name, email=f"person{n}@ombud.example", language="en" if n == 1 else "sv")
                for n, name in enumerate(names)]
    outreach.invitations_send(meeting=meeting, contacts=contacts, sent_by=anna_sundsvall)
    for contact in contacts[:3] + contacts[5:]:
        invitation = Invitation.objects.get(meeting=meeting, contact=contact)
        outreach.registrations_create(
            invitation=invitation, people=[{"name": contact.name, "email": contact.email, "dietary_needs": ""}],
            join_network=False,
        )
    outreach.registration_cancel(registration=Registration.objects.get(meeting=meeting, contact=contacts[5]))
    return meeting, contacts


def test_moving_and_cancelling_a_meeting_reaches_each_participant_once_with_the_right_calendar(
    celery_worker_process, deliver_by_smtp, meeting_with_people, anna_sundsvall, per_police,
):
    meeting, contacts = meeting_with_people
    told = {c.email for c in contacts[:5]}
    # Invitations (6), confirmations (4) and the cancellation (1) go first.
    _wait_for(deliver_by_smtp, 11, "invitation and registration mails")
    deliver_by_smtp.clear()

    new_start = meeting.starts_at + timedelta(days=2)
    meeting_services.meeting_update(meeting=meeting, updated_by=anna_sundsvall, starts_at=new_start,
                            ends_at=new_start + timedelta(hours=2), place="Kulturmagasinet")
    meeting.refresh_from_db()
    _wait_for(deliver_by_smtp, 6, "move mails")  # five contacts and the instructor
    moved = {str(m["To"]): m for m in deliver_by_smtp.messages}
    assert len(deliver_by_smtp.messages) == 6 and set(moved) == told | {per_police.email}
    for address in told:
        message = moved[address]
        cal, event, raw = _calendar(message)
        assert cal["METHOD"] == "PUBLISH" and event["STATUS"] == "CONFIRMED"
        assert int(event["SEQUENCE"]) == meeting.sequence == 1
        assert str(event["UID"]) == f"{meeting.uid}@tif-portal"
        assert event.decoded("DTSTART") == new_start and "Kulturmagasinet" in str(event["LOCATION"])
        assert per_police.email not in raw and "ATTENDEE" not in raw, "a contact's file names no instructor"
        assert message["Reply-To"].addresses[0].addr_spec == anna_sundsvall.email
        assert message["Auto-Submitted"] == "auto-generated"
    assert "Din anmälan gäller fortfarande" in moved["person0@ombud.example"].get_body(("plain",)).get_content()
    assert "personliga länk" in moved["person3@ombud.example"].get_body(("plain",)).get_content()
    english = moved["person1@ombud.example"]
    assert english["Content-Language"] == "sv, en" and "has moved" in english.get_body(("plain",)).get_content()
    assert "Kim Avbokad" not in {m["To"].addresses[0].display_name for m in deliver_by_smtp.messages}

    deliver_by_smtp.clear()
    meeting_services.meeting_cancel(meeting=meeting, cancelled_by=anna_sundsvall)
    meeting.refresh_from_db()
    _wait_for(deliver_by_smtp, 6, "cancellation mails")
    cancelled = {str(m["To"]): m for m in deliver_by_smtp.messages}
    assert len(deliver_by_smtp.messages) == 6 and set(cancelled) == told | {per_police.email}
    for address in told:
        cal, event, raw = _calendar(cancelled[address])
        assert cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
        assert int(event["SEQUENCE"]) == meeting.sequence == 2
        assert "ATTENDEE" not in raw

    # Cancelling again, or the sweep running again, sends nothing more.
    meeting_services.meeting_cancel(meeting=meeting, cancelled_by=anna_sundsvall)
    outreach.participants_tell(meeting=meeting, kind="cancelled")
    assert OutboundEmail.objects.filter(purpose="meeting_cancelled").count() == 5


def test_one_address_at_two_workplaces_hears_of_a_move_once(meeting_sundsvall, anna_sundsvall, make_site, make_contact, sundsvall):
    first, second = make_site(sundsvall), make_site(sundsvall)
    contacts = [make_contact(site, email="samma@ombud.example") for site in (first, second)]
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    assert [c.email for c in outreach.change_recipients(meeting_sundsvall)] == ["samma@ombud.example"]
