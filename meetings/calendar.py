"""iCalendar files: one meeting as an invitation or cancellation, and an instructor's feed.

A calendar program recognises a meeting by its UID and takes the version with the
highest SEQUENCE, so every change raises ``Meeting.sequence`` and a cancelled meeting
stays in the feed with STATUS:CANCELLED until programs have removed it.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting

PRODID = "-//TIF-portalen//Moten//SV"
UID_DOMAIN = "tif-portal"
FEED_DAYS_BACK = 30
UTC = ZoneInfo("UTC")


def _calendar(*, method: str | None = None, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _description(meeting: Meeting) -> str:
    parts = [str(meeting.working_group), f"{meeting.working_group.municipality}"]
    if meeting.agenda:
        parts += ["", meeting.agenda]
    return "\n".join(parts)


def _event(meeting: Meeting, instructors=None, *, cancelled: bool = False) -> Event:
    cancelled = cancelled or meeting.status == Meeting.Status.CANCELLED
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("last-modified", (meeting.updated_at or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    event.add("location", ", ".join(p for p in [meeting.place, meeting.address] if p))
    event.add("description", _description(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    contact_person = meeting.responsible_person
    if contact_person is not None and contact_person.email:
        # The meeting's contact person, whom participants are meant to reach (and who gets the replies).
        organizer = vCalAddress(f"mailto:{contact_person.email}")
        organizer.params["cn"] = vText(contact_person.name or contact_person.email)
        event.add("organizer", organizer)
    for user in instructors or []:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = vText(user.name or user.email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    return event


def meeting_ics(meeting: Meeting, *, method: str = "REQUEST", with_instructors: bool = False) -> bytes:
    """One meeting as an .ics file; a cancelled meeting always goes out as METHOD:CANCEL.

    ``method="CANCEL"`` for a meeting that goes on withdraws it from one person's calendar
    (an instructor taken off the meeting, a participant who gave their place back). Only
    instructors' files name the instructors: a file to agent staff carries no one's
    personal data but the contact person's.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        method = "CANCEL"
    cal = _calendar(method=method)
    instructors = list(meeting.instructors.all()) if with_instructors else []
    cal.add_component(_event(meeting, instructors=instructors, cancelled=method == "CANCEL"))
    return cal.to_ical()


def instructor_meetings(user):
    """The meetings a user instructs from ``FEED_DAYS_BACK`` days ago on, cancelled ones included."""
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    return (
        Meeting.objects.filter(instructors=user, starts_at__gte=since)
        .select_related("working_group__municipality", "created_by", "contact_person")
        .order_by("starts_at")
    )


def instructor_feed(user) -> bytes:
    """The personal calendar feed: every meeting the user instructs, in one query."""
    cal = _calendar(name=f"TIF – {user.name or user.email}")
    for meeting in instructor_meetings(user):
        cal.add_component(_event(meeting))
    return cal.to_ical()
