"""County-level meetings: instructor trainings and the yearly county group (länsvis grupp).

The county officer plans them for the whole county, invites the instructors and coordinators
of the county's working groups, records who came, writes and sends the minutes and plans the
follow-up. Attending a held training makes a person a trained instructor from that day.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from meetings import emails
from meetings.models import CountyMeeting, CountyMeetingParticipant
from tif_portal import outbox

# Who a county meeting is for: accounts that instruct or coordinate, never agent staff.
PARTICIPANT_ROLES = (User.Role.INSTRUCTOR, User.Role.COORDINATOR)
COUNTY_MEETING_FIELDS = {"kind", "title", "starts_at", "ends_at", "place", "address", "agenda"}


class CountyMeetingError(Exception):
    """A step that cannot be taken; the message says why, in the user's language."""


# Reads ------------------------------------------------------------------------


def trained_on(users) -> dict[int, date]:
    """The day each person attended their latest held instructor training, by user id; one query."""
    rows = (
        CountyMeetingParticipant.objects.filter(
            user__in=users,
            attended_at__isnull=False,
            meeting__kind=CountyMeeting.Kind.TRAINING,
            meeting__status=CountyMeeting.Status.HELD,
        )
        .order_by()
        .values_list("user_id")
        .annotate(last=Max("meeting__starts_at"))
    )
    return {user_id: timezone.localdate(when) for user_id, when in rows}


def people_of_county(county) -> Iterable[User]:
    """The instructors and coordinators seated in a working group of the county."""
    return (
        User.objects.filter(
            role__in=PARTICIPANT_ROLES,
            is_active=True,
            memberships__working_group__municipality__county=county,
        )
        .distinct()
        .order_by("name")
    )


def may_register(user, meeting: CountyMeeting) -> bool:
    """Police, customs and coordinators of the county register for a planned meeting themselves."""
    return (
        meeting.status == CountyMeeting.Status.PLANNED
        and not meeting.has_started
        and user.role in PARTICIPANT_ROLES
        and people_of_county(meeting.county).filter(pk=user.pk).exists()
    )


# Changes ----------------------------------------------------------------------


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - COUNTY_MEETING_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")


@transaction.atomic
def county_meeting_create(*, county, created_by, follow_up_of=None, **fields) -> CountyMeeting:
    _check_fields(fields)
    return CountyMeeting.objects.create(county=county, created_by=created_by, follow_up_of=follow_up_of, **fields)


@transaction.atomic
def county_meeting_update(*, meeting: CountyMeeting, **fields) -> CountyMeeting:
    _check_fields(fields)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


@transaction.atomic
def county_meeting_invite(*, meeting: CountyMeeting, users: Iterable[User], invited_by) -> int:
    """Invite people of the county; each gets one mail, inviting again sends nothing new.

    Only instructors and coordinators of the meeting's own county can be invited.
    """
    allowed = set(people_of_county(meeting.county).values_list("pk", flat=True))
    users = [u for u in dict.fromkeys(users) if u.pk in allowed]
    now = timezone.now()
    existing = {p.user_id: p for p in meeting.participants.all()}
    for user in users:
        place = existing.get(user.pk)
        if place is None:
            CountyMeetingParticipant.objects.create(meeting=meeting, user=user, invited_at=now)
        elif place.invited_at is None:
            place.invited_at = now
            place.save(update_fields=["invited_at"])
    mails = [
        emails.county_meeting_mail(meeting, user, purpose="county_meeting_invitation")
        for user in users
        if user.email
    ]
    return outbox.enqueue(mails)


@transaction.atomic
def county_meeting_register(*, meeting: CountyMeeting, user, register: bool = True) -> CountyMeetingParticipant:
    """A person registers (or withdraws) for a planned county meeting."""
    if not may_register(user, meeting):
        raise CountyMeetingError(_("Anmälan till det här mötet är stängd."))
    place, _created = CountyMeetingParticipant.objects.get_or_create(meeting=meeting, user=user)
    place.registered_at = timezone.now() if register else None
    place.save(update_fields=["registered_at"])
    return place


@transaction.atomic
def county_meeting_attendance(*, meeting: CountyMeeting, present: Iterable[int], recorded_by=None) -> int:
    """Record who came (the invited and registered; ids of others are ignored) and mark the
    meeting held; for a training this is what makes them trained. Returns how many came."""
    if meeting.status == CountyMeeting.Status.CANCELLED or not meeting.has_started:
        raise CountyMeetingError(_("Närvaro kan registreras när mötet har börjat."))
    present = {int(pk) for pk in present}
    now = timezone.now()
    changed = []
    for place in meeting.participants.select_for_update():
        came = place.user_id in present
        if came != (place.attended_at is not None):
            place.attended_at = now if came else None
            changed.append(place)
    # Through the history, so the meeting's record says who marked whom and when.
    bulk_update_with_history(changed, CountyMeetingParticipant, ["attended_at"], default_user=recorded_by)
    meeting_mark_held(meeting=meeting)
    return meeting.participants.filter(attended_at__isnull=False).count()


def meeting_mark_held(*, meeting: CountyMeeting) -> None:
    """Held, with the follow-up due a year after (the county group meets once a year)."""
    if meeting.status == CountyMeeting.Status.HELD:
        return
    meeting.status = CountyMeeting.Status.HELD
    meeting.follow_up_due = timezone.localdate(meeting.starts_at) + timedelta(days=365)
    meeting.save(update_fields=["status", "follow_up_due", "updated_at"])


@transaction.atomic
def county_meeting_minutes_save(*, meeting: CountyMeeting, text: str, send: bool) -> int:
    """Save the minutes; ``send`` mails them to everyone invited or registered. A corrected
    text sent again goes again (the key holds the time of sending)."""
    meeting.minutes = text.strip()
    fields = ["minutes", "updated_at"]
    sent = 0
    if send:
        if not meeting.minutes:
            raise CountyMeetingError(_("Skriv anteckningarna innan du skickar dem."))
        meeting.minutes_sent_at = timezone.now()
        fields.append("minutes_sent_at")
        stamp = meeting.minutes_sent_at.timestamp()
        people = [p.user for p in meeting.participants.select_related("user")]
        sent = outbox.enqueue(
            [
                emails.county_meeting_mail(meeting, user, purpose="county_meeting_minutes", version=str(stamp))
                for user in people
                if user.email
            ]
        )
    meeting.save(update_fields=fields)
    return sent


@transaction.atomic
def county_meeting_follow_up(*, meeting: CountyMeeting, created_by) -> CountyMeeting:
    """Plan the follow-up: the same meeting a year later, inviting the same people again."""
    if meeting.status != CountyMeeting.Status.HELD:
        raise CountyMeetingError(_("Uppföljningen planeras när mötet är genomfört."))
    existing = meeting.follow_ups.first()
    if existing is not None:
        return existing
    shift = timedelta(days=364)  # the same weekday a year later
    follow_up = county_meeting_create(
        county=meeting.county,
        created_by=created_by,
        follow_up_of=meeting,
        kind=meeting.kind,
        title=meeting.title,
        starts_at=meeting.starts_at + shift,
        ends_at=meeting.ends_at + shift,
        place=meeting.place,
        address=meeting.address,
        agenda=meeting.agenda,
    )
    county_meeting_invite(
        meeting=follow_up, users=[p.user for p in meeting.participants.select_related("user")], invited_by=created_by
    )
    return follow_up
