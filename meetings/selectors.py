"""Reads that several views share; each takes the user and stays within what they may see."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ChecklistItem, Meeting, MeetingInstructor, Registration, Site


def sites_for(user):
    """Sites the user may see, with their contact count (one query per page)."""
    return Site.objects.visible_to(user).annotate(
        contact_count=Count("contacts", filter=Q(contacts__erased_at__isnull=True))
    )


def contacts_of_site(site: Site):
    return site.contacts.filter(erased_at__isnull=True).order_by("name")


def meetings_for(user):
    """Meetings the user may see, with counts of registrations and instructors."""
    return Meeting.objects.visible_to(user).annotate(
        registration_count=Count(
            "registrations",
            filter=~Q(registrations__status=Registration.Status.CANCELLED),
            distinct=True,
        ),
        instructor_count=Count("instructor_links", distinct=True),
    )


def meeting_page(user):
    """Meetings with what the meeting page shows: instructors, checklist and registration count."""
    return (
        meetings_for(user)
        .select_related("created_by", "contact_person")
        .prefetch_related(
            Prefetch("instructor_links", queryset=MeetingInstructor.objects.select_related("user")),
            Prefetch("checklist", queryset=ChecklistItem.objects.select_related("done_by")),
        )
    )


def meetings_for_instructor(user):
    """Coming meetings the user instructs, across working groups, with their confirmation."""
    return (
        MeetingInstructor.objects.filter(user=user, meeting__ends_at__gte=timezone.now())
        .select_related("meeting__working_group__municipality")
        .order_by("meeting__starts_at")
    )


# The change history ------------------------------------------------------------------------

HISTORY_LIMIT = 300
# Values not repeated on the history page: what someone eats is not for a list of changes.
HISTORY_HIDDEN_VALUES = {"dietary_needs"}
HISTORY_SKIPPED_FIELDS = {"updated_at", "sequence", "reminder_sent_at"}


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime
    user: object
    subject: str
    kind: str  # "+" made, "~" changed, "-" removed
    changes: list  # (field label, old, new)


def _history_changes(record, previous) -> list:
    if previous is None:
        return []
    model = record.instance_type
    changes = []
    for change in record.diff_against(previous).changes:
        if change.field in HISTORY_SKIPPED_FIELDS:
            continue
        label = model._meta.get_field(change.field).verbose_name
        if change.field in HISTORY_HIDDEN_VALUES:
            changes.append((label, "…", "…"))
        else:
            changes.append((label, change.old, change.new))
    return changes


def _history_entries(records, subject) -> list[HistoryEntry]:
    """Entries for one model's records, each compared with the object's record before it."""
    entries, last = [], {}
    for record in records:
        previous = last.get(record.id)
        changes = _history_changes(record, previous)
        if record.history_type != "~" or changes:
            entries.append(HistoryEntry(record.history_date, record.history_user, subject(record), record.history_type, changes))
        last[record.id] = record
    return entries


def meeting_history(meeting: Meeting) -> list[HistoryEntry]:
    """Who changed what and when on the meeting and its registrations, newest first (two queries)."""
    meeting_records = meeting.history.select_related("history_user").order_by("history_date", "history_id")
    registration_records = (
        Registration.history.filter(meeting_id=meeting.pk)
        .select_related("history_user", "contact")
        .order_by("history_date", "history_id")
    )
    entries = _history_entries(meeting_records, lambda record: _("Mötet")) + _history_entries(
        registration_records, lambda record: _("Anmälan: %(name)s") % {"name": getattr(record.contact, "name", "–")}
    )
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:HISTORY_LIMIT]
