"""Changes to meetings, sites and contacts: every view, task and test goes through these."""

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from api import webhooks
from meetings import emails
from meetings.checklist import checklist_for
from meetings.models import ChecklistItem, Meeting, MeetingInstructor
from meetings.pdf import invitation_default_text
from meetings.services import outreach
from tif_portal import outbox

# The content the handbook requires at a collaboration meeting; the form starts from this.
AGENDA_TOPICS = [
    _("Illegala föremål i paketflödet"),
    _("Informationsutbyte enligt postlagens sekretessundantag (postlagen 2010:1045, ändrad 2 januari 2023)"),
    _("Polisens och Tullverkets arbete mot illegal handel"),
    _("Varför samverkan är viktig"),
    _("Kommunens skyldighet enligt lag (2023:196) om kommuners ansvar för brottsförebyggande arbete"),
    _("Dialog om deltagarnas erfarenheter av brott och otrygghet"),
]

# Changing one of these moves the meeting: instructors get a new calendar entry.
MOVE_FIELDS = ("starts_at", "ends_at", "place", "address")
MEETING_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "capacity",
    "registration_deadline",
    "reminder_days_before",
    "agenda",
    "contact_person",
    "site",
)


# Set by the services themselves, never by a caller.
PROTECTED_FIELDS = {
    "id", "working_group", "status", "sequence", "uid", "moved_at", "created_by", "created_at", "updated_at",
}


def _settable_fields() -> set[str]:
    """The meeting's own columns a caller may set (fields other apps add are included)."""
    return {f.name for f in Meeting._meta.concrete_fields if f.editable} - PROTECTED_FIELDS


def _check_fields(service: str, fields: dict, *, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {sorted(unknown)}")


def default_agenda() -> str:
    """The handbook's agenda, in Swedish whatever the language of the page that asks: it is the
    meeting's own text, shown on its Swedish pages and printed on its Swedish documents."""
    with translation.override("sv"):
        return "\n".join(f"{n}. {topic}" for n, topic in enumerate(AGENDA_TOPICS, start=1))


# Instructor mail ----------------------------------------------------------------


def _tell_instructors(meeting: Meeting, users: Iterable, kind: str) -> int:
    return outbox.enqueue([emails.instructor_schedule_mail(meeting, user, kind) for user in users if user.email])


# Meetings -----------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, group, created_by, instructors: Iterable = (), **fields) -> Meeting:
    """Create a meeting with its checklist (annex 2, or the workplace meeting's short one);
    each instructor gets the .ics by mail."""
    _check_fields("meeting_create", fields, allowed=_settable_fields() | {"status"})
    fields.setdefault("contact_person", created_by)
    meeting = Meeting.objects.create(working_group=group, created_by=created_by, **fields)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(meeting=meeting, position=position, key=key)
        for position, (key, _label) in enumerate(checklist_for(meeting.kind), start=1)
    )
    instructors = list(dict.fromkeys(instructors))
    MeetingInstructor.objects.bulk_create(MeetingInstructor(meeting=meeting, user=user) for user in instructors)
    _tell_instructors(meeting, instructors, "assigned")
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, updated_by, instructors: Iterable | None = None, **fields) -> Meeting:
    """Save changed fields and raise the sequence; everyone it concerns hears of a move.

    A move (time or place) goes to the instructors, who confirm the new time, and to every
    registered participant and invited contact, each with the updated calendar file. New
    instructors get the meeting, removed ones a cancellation.
    """
    _check_fields("meeting_update", fields, allowed=_settable_fields())
    meeting = Meeting.objects.select_for_update().select_related("working_group").get(pk=meeting.pk)
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    moved = any(name in MOVE_FIELDS for name in changed)
    for name in changed:
        setattr(meeting, name, fields[name])

    current = {link.user_id: link for link in meeting.instructor_links.select_related("user")}
    added, removed = [], []
    if instructors is not None:
        wanted = {user.pk: user for user in instructors}
        added = [user for pk, user in wanted.items() if pk not in current]
        removed = [link.user for pk, link in current.items() if pk not in wanted]

    if not changed and not added and not removed:
        return meeting
    meeting.sequence += 1
    if moved:
        meeting.moved_at = timezone.now()
    meeting.save()
    if removed:
        MeetingInstructor.objects.filter(meeting=meeting, user__in=removed).delete()
    if added:
        MeetingInstructor.objects.bulk_create(MeetingInstructor(meeting=meeting, user=user) for user in added)
    removed_ids = {user.pk for user in removed}
    staying = [link.user for pk, link in current.items() if pk not in removed_ids]
    if moved:
        # The answers were for the old time; the history records that the move cleared them.
        links = list(MeetingInstructor.objects.filter(meeting=meeting))
        for link in links:
            link.confirmed_at = link.declined_at = None
        bulk_update_with_history(links, MeetingInstructor, ["confirmed_at", "declined_at"], default_user=updated_by)
        _tell_instructors(meeting, staying, "moved")
        outreach.participants_tell(meeting=meeting, kind="moved")
    _tell_instructors(meeting, added, "assigned")
    _tell_instructors(meeting, removed, "removed")
    if "capacity" in changed:
        from meetings.services.outreach import waiting_list_promote

        waiting_list_promote(meeting=meeting)  # more seats: the first in line get them
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, cancelled_by) -> Meeting:
    """Cancel the meeting: the sequence rises; instructors, registered participants and invited
    contacts each get METHOD:CANCEL, which takes it out of their calendars."""
    meeting = Meeting.objects.select_for_update().select_related("working_group").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _tell_instructors(meeting, list(meeting.instructors.all()), "cancelled")
    outreach.participants_tell(meeting=meeting, kind="cancelled")
    webhooks.meeting_cancelled(meeting)
    return meeting


@transaction.atomic
def meeting_copy(*, meeting: Meeting, weeks: int, created_by) -> Meeting:
    """A new meeting ``weeks`` weeks later: same place, instructors and agenda, a fresh checklist."""
    shift = timedelta(weeks=weeks)
    # What the coordinator planned and wrote (agenda, letter text) comes along; the times move.
    names = set(MEETING_FIELDS) | ({"invitation_text"} & _settable_fields())
    fields = {name: getattr(meeting, name) for name in names}
    fields["starts_at"] = meeting.starts_at + shift
    fields["ends_at"] = meeting.ends_at + shift
    if meeting.registration_deadline:
        fields["registration_deadline"] = meeting.registration_deadline + shift
    return meeting_create(
        group=meeting.working_group,
        created_by=created_by,
        instructors=list(meeting.instructors.all()),
        **fields,
    )


@transaction.atomic
def checklist_tick(*, item: ChecklistItem, user, done: bool) -> ChecklistItem:
    """Mark a checklist step done (with who and when) or not done."""
    if done and item.done_at is None:
        item.done_at, item.done_by = timezone.now(), user
    elif not done:
        item.done_at, item.done_by = None, None
    else:
        return item
    item.save(update_fields=["done_at", "done_by"])
    return item


class InstructorAnswer:
    YES, NO, WITHDRAW = "yes", "no", "withdraw"
    ALL = (YES, NO, WITHDRAW)


@transaction.atomic
def instructor_answer(*, meeting: Meeting, user, answer: str) -> MeetingInstructor:
    """The instructor says they will come (yes), cannot (no), or takes their answer back.

    Saying yes twice keeps the first time. A no reaches the meeting's contact person by mail,
    who needs to find someone else.
    """
    if answer not in InstructorAnswer.ALL:
        raise ValueError(answer)
    link = MeetingInstructor.objects.select_for_update().select_related("meeting__working_group").get(
        meeting=meeting, user=user
    )
    now = timezone.now()
    if answer == InstructorAnswer.YES:
        link.confirmed_at, link.declined_at = link.confirmed_at or now, None
    elif answer == InstructorAnswer.NO:
        declined_before = link.declined_at is not None
        link.confirmed_at, link.declined_at = None, link.declined_at or now
        if not declined_before:
            _tell_contact_person_of_decline(link)
    else:
        link.confirmed_at, link.declined_at = None, None
    link.save(update_fields=["confirmed_at", "declined_at"])
    return link


def _tell_contact_person_of_decline(link: MeetingInstructor) -> None:
    meeting = link.meeting
    person = meeting.responsible_person
    if person is None or not person.email:
        return
    outbox.enqueue([emails.instructor_declined_mail(meeting, person, link.user_id)])


@transaction.atomic
def invitation_text_set(*, meeting: Meeting, text: str) -> None:
    """Keep the coordinator's wording; the default text is not stored, so it can improve later."""
    text = text.strip()
    if text.replace("\r\n", "\n") == invitation_default_text(meeting):
        text = ""
    meeting.invitation_text = text
    meeting.save(update_fields=["invitation_text", "updated_at"])
