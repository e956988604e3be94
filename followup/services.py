"""Step 5 of the method: follow-ups, seizure feedback, surveys and the group's plans."""

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from followup import emails
from followup.models import FollowUp, SeizureFeedback, SurveyInvitation, SurveyPhase, SurveyResponse
from meetings.models import COLLABORATION_KINDS, Contact, Meeting, Registration
from meetings.services.meetings import meeting_create
from meetings.services.outreach import invitations_send
from municipalities.models import Membership, WorkingGroup
from tif_portal import outbox

# The two reminders before a follow-up is due, with the sent-time field of each; how many days
# ahead each goes is the working group's choice (``first_reminder_days``, ``second_reminder_days``).
REMINDERS = (("first", "first_reminder_sent_at"), ("second", "second_reminder_sent_at"))
# Groups may choose up to this many days ahead; the daily task looks no further.
MAX_REMINDER_DAYS = 365
# Roles in a working group that may record seizure feedback.
FEEDBACK_ROLES = (Membership.Role.POLICE, Membership.Role.CUSTOMS, Membership.Role.COORDINATOR)
# How long after a meeting the after-meeting survey is still sent.
SURVEY_WINDOW_DAYS = 14


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date_for(meeting: Meeting) -> date:
    return add_months(timezone.localtime(meeting.starts_at).date(), meeting.working_group.follow_up_months)


# Follow-ups --------------------------------------------------------------------------------


@transaction.atomic
def followup_create_for(meeting: Meeting) -> FollowUp | None:
    """The follow-up of a held collaboration meeting (or workplace meeting, which stands in for
    one); calling again returns the same row.

    A meeting that is only planned, even one dated in the past, gets none: nobody may
    have come, and a follow-up would send reminders about a meeting that never took place.
    """
    if meeting.kind not in COLLABORATION_KINDS or meeting.status != Meeting.Status.HELD:
        return None
    follow_up, _created = FollowUp.objects.get_or_create(meeting=meeting, defaults={"due_date": due_date_for(meeting)})
    return follow_up


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting) -> FollowUp | None:
    """Mark the meeting held: a collaboration meeting gets its follow-up, the
    participants checked in get the after-meeting survey. Safe to call twice."""
    if meeting.status == Meeting.Status.CANCELLED:
        return None
    if meeting.status != Meeting.Status.HELD:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])  # recorded in the change history
    survey_invite(meeting=meeting, phase=SurveyPhase.AFTER_MEETING)
    return followup_create_for(meeting)


def followups_create_missing(*, now: datetime | None = None) -> int:
    """Follow-ups for held collaboration meetings that have none (say, marked held in the admin).

    Only meetings marked held count: a planned meeting whose date has passed may never
    have taken place, so it gets no follow-up and no reminders.
    """
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        kind__in=COLLABORATION_KINDS, status=Meeting.Status.HELD, starts_at__lt=now, follow_up__isnull=True
    ).select_related("working_group")
    rows = [FollowUp(meeting=m, due_date=due_date_for(m)) for m in meetings.iterator(chunk_size=2000)]
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def _member_recipients(group_ids):
    """(group id, user) for every active member of the groups: one query."""
    return [
        (m.working_group_id, m.user)
        for m in Membership.objects.filter(working_group_id__in=group_ids, user__is_active=True).select_related("user")
    ]


def _reminder_due(follow_up: FollowUp, which: str, today: date) -> bool:
    """Whether the group's ``which`` reminder is due today: its day has come, and for the first
    one, the second's has not (the first is pointless once the second is due)."""
    group = follow_up.meeting.working_group
    days_left = (follow_up.due_date - today).days
    if which == "first":
        return group.second_reminder_days < days_left <= group.first_reminder_days
    return days_left <= group.second_reminder_days


def followup_reminders_send(*, today: date | None = None) -> int:
    """Mail each group's members before a follow-up is due, as many days ahead as the group chose.

    The sent time is set in the same transaction as the mails are queued, and the mail keys
    are unique, so running this any number of times a day sends each reminder once. A
    reminder whose day had passed when the row appeared is skipped. With the second reminder
    the participants get the survey before the follow-up.
    """
    today = today or timezone.localdate()
    queued = 0
    for which, field in REMINDERS:
        with transaction.atomic():
            candidates = (
                FollowUp.objects.not_done()
                .filter(
                    **{f"{field}__isnull": True},
                    due_date__gte=today,
                    due_date__lte=today + timedelta(days=MAX_REMINDER_DAYS),
                    meeting__status=Meeting.Status.HELD,
                )
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("meeting__working_group")
            )
            follow_ups = [f for f in candidates if _reminder_due(f, which, today)]
            if not follow_ups:
                continue
            members = _member_recipients({f.meeting.working_group_id for f in follow_ups})
            mails = []
            for follow_up in follow_ups:
                days = (follow_up.due_date - today).days
                mails.extend(
                    emails.reminder_mail(follow_up, user, which=which, days=days)
                    for group_id, user in members
                    if group_id == follow_up.meeting.working_group_id
                )
            queued += outbox.enqueue(mails)
            FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(**{field: timezone.now()})
            if which == "second":
                for follow_up in follow_ups:
                    queued += survey_invite(meeting=follow_up.meeting, phase=SurveyPhase.BEFORE_FOLLOW_UP)
    return queued


def followups_escalate_overdue(*, today: date | None = None) -> int:
    """Tell the county officers of each overdue follow-up's county, once per follow-up.

    A follow-up is overdue the day after its due date when it is not done. The time is set
    in the same transaction as the mails are queued (under keys unique per follow-up and
    officer), so running this again the same day or the next sends nothing twice. A county
    without an officer keeps the follow-up unescalated until it has one.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        overdue = list(
            FollowUp.objects.overdue(today)
            .filter(escalated_at__isnull=True, meeting__status=Meeting.Status.HELD)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting__working_group__municipality")
        )
        if not overdue:
            return 0
        county_ids = {f.meeting.working_group.municipality.county_id for f in overdue}
        officers = defaultdict(list)
        for user in User.objects.filter(role=User.Role.COUNTY_OFFICER, is_active=True, county_id__in=county_ids):
            officers[user.county_id].append(user)
        mails, escalated = [], []
        for follow_up in overdue:
            municipality = follow_up.meeting.working_group.municipality
            recipients = officers.get(municipality.county_id, [])
            if not recipients:
                continue
            escalated.append(follow_up.pk)
            mails.extend(emails.escalation_mail(follow_up, user, today) for user in recipients)
        queued = outbox.enqueue(mails)
        FollowUp.objects.filter(pk__in=escalated).update(escalated_at=timezone.now())
    return queued


def attendees_of(meeting: Meeting):
    """Contacts who were checked in at the meeting and can still be reached."""
    return Contact.objects.filter(
        registrations__meeting=meeting, registrations__checked_in_at__isnull=False, erased_at__isnull=True
    ).distinct()


def proposed_start(follow_up: FollowUp, *, now: datetime | None = None) -> datetime:
    """The due date at the original meeting's time of day, on a weekday and at least three weeks away."""
    now = now or timezone.now()
    original = timezone.localtime(follow_up.meeting.starts_at)
    day = max(follow_up.due_date, timezone.localtime(now).date() + timedelta(days=21))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(original.hour, original.minute)))


@transaction.atomic
def followup_meeting_create(*, follow_up: FollowUp, created_by) -> Meeting:
    """One click: the follow-up meeting near the due date, same place, invitations to
    exactly those who attended the original meeting. A second click returns the same meeting."""
    follow_up = FollowUp.objects.select_for_update().select_related("meeting__working_group").get(pk=follow_up.pk)
    if follow_up.follow_up_meeting_id:
        return follow_up.follow_up_meeting
    original = follow_up.meeting
    starts_at = proposed_start(follow_up)
    meeting = meeting_create(
        group=original.working_group,
        created_by=created_by,
        instructors=list(original.instructors.all()),
        kind=Meeting.Kind.FOLLOW_UP,
        title=_("Uppföljningsmöte: %(title)s") % {"title": original.title},
        starts_at=starts_at,
        ends_at=starts_at + (original.ends_at - original.starts_at),
        place=original.place,
        address=original.address,
        capacity=original.capacity,
        registration_deadline=starts_at - timedelta(days=2),
    )
    follow_up.follow_up_meeting = meeting
    follow_up.state = FollowUp.State.PLANNED
    follow_up.save(update_fields=["follow_up_meeting", "state"])
    contacts = list(attendees_of(original))
    if contacts:
        invitations_send(meeting=meeting, contacts=contacts, sent_by=created_by)
    return meeting


@transaction.atomic
def followup_mark_done(*, follow_up: FollowUp) -> FollowUp:
    follow_up.state = FollowUp.State.DONE
    follow_up.save(update_fields=["state"])
    return follow_up


def followups_complete_held(*, now: datetime | None = None) -> int:
    """Follow-ups whose follow-up meeting has been held are done."""
    now = now or timezone.now()
    from followup import dashboard

    done = (
        FollowUp.objects.exclude(state=FollowUp.State.DONE)
        .filter(follow_up_meeting__status=Meeting.Status.HELD)
        .update(state=FollowUp.State.DONE)
    )
    if done:
        dashboard.figures_changed()
    return done


# Seizure feedback ----------------------------------------------------------------------------


def can_record_feedback(user, group: WorkingGroup) -> bool:
    """Instructors (police, customs) and coordinators of the group, and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return Membership.objects.filter(working_group=group, user=user, role__in=FEEDBACK_ROLES).exists()


@transaction.atomic
def seizure_feedback_record(*, group: WorkingGroup, recorded_by, period_start: date, period_end: date, summary: str):
    if not can_record_feedback(recorded_by, group):
        raise PermissionDenied
    feedback = SeizureFeedback(
        working_group=group,
        period_start=period_start,
        period_end=period_end,
        summary=summary.strip(),
        recorded_by=recorded_by,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def may_change_feedback(user, feedback: SeizureFeedback) -> bool:
    """The one who wrote it, and administrators."""
    return user.is_authenticated and (feedback.recorded_by_id == user.pk or user.is_admin)


def _forget_earlier_wordings(feedback: SeizureFeedback) -> None:
    # A text is changed or removed most often because it said too much: the history keeps who
    # changed what and when, not the words that were taken away.
    feedback.history.update(summary="")


@transaction.atomic
def seizure_feedback_update(*, feedback: SeizureFeedback, by, period_start: date, period_end: date, summary: str):
    if not may_change_feedback(by, feedback):
        raise PermissionDenied
    feedback.period_start, feedback.period_end, feedback.summary = period_start, period_end, summary.strip()
    feedback.full_clean()
    _forget_earlier_wordings(feedback)
    feedback._history_user = by
    feedback.save()
    return feedback


@transaction.atomic
def seizure_feedback_remove(*, feedback: SeizureFeedback, by) -> None:
    if not may_change_feedback(by, feedback):
        raise PermissionDenied
    feedback_id = feedback.pk
    feedback._history_user = by
    feedback.delete()
    SeizureFeedback.history.filter(id=feedback_id).update(summary="")


# Survey ---------------------------------------------------------------------------------------


@transaction.atomic
def survey_invite(*, meeting: Meeting, phase: str) -> int:
    """One survey link per checked-in participant and phase; repeating queues nothing new."""
    registrations = list(
        Registration.objects.filter(
            meeting=meeting, checked_in_at__isnull=False, contact__erased_at__isnull=True
        ).select_related("contact")
    )
    if not registrations:
        return 0
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(registration=r, phase=phase) for r in registrations], ignore_conflicts=True
    )
    invitations = SurveyInvitation.objects.filter(registration__in=registrations, phase=phase, answered=False)
    by_registration = {r.pk: r for r in registrations}
    municipality_id = meeting.working_group.municipality_id
    mails = [emails.survey_mail(inv, by_registration[inv.registration_id], municipality_id) for inv in invitations]
    return outbox.enqueue(mails)


def survey_baseline_record(
    *, meeting: Meeting, safety: int | None, knows_contact: bool | None, would_report: bool | None
) -> SurveyResponse | None:
    """The baseline, given with a registration: stored like every answer, with nothing about
    who gave it (the caller passes no registration, and the row's key is random).

    Answering is voluntary: without all three answers nothing is stored.
    """
    if safety is None or knows_contact is None or would_report is None:
        return None
    response = SurveyResponse(
        meeting=meeting, phase=SurveyPhase.BEFORE, safety=safety, knows_contact=knows_contact, would_report=would_report
    )
    response.full_clean()
    response.save()
    return response


def surveys_send_after_meetings(*, now: datetime | None = None) -> int:
    """The after-meeting survey for meetings that ended in the last two weeks."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(
            ends_at__lt=now,
            ends_at__gte=now - timedelta(days=SURVEY_WINDOW_DAYS),
            registrations__checked_in_at__isnull=False,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(
            registrations__survey_invitations__phase=SurveyPhase.AFTER_MEETING,
        )
        .select_related("working_group")
        .distinct()
    )
    return sum(survey_invite(meeting=m, phase=SurveyPhase.AFTER_MEETING) for m in meetings)


@transaction.atomic
def survey_answer(
    *, invitation: SurveyInvitation, safety: int, knows_contact: bool, would_report: bool
) -> SurveyResponse:
    """Store the answers without a link to the person, and close the link."""
    invitation = SurveyInvitation.objects.select_for_update().select_related("registration").get(pk=invitation.pk)
    if invitation.answered:
        raise ValidationError(_("Enkäten är redan besvarad."))
    response = SurveyResponse(
        meeting_id=invitation.registration.meeting_id,
        phase=invitation.phase,
        safety=safety,
        knows_contact=knows_contact,
        would_report=would_report,
    )
    response.full_clean()
    response.save()
    invitation.answered = True
    invitation.save(update_fields=["answered"])
    return response


def followup_daily(*, now: datetime | None = None) -> dict:
    """Everything step 5 does once a day; each part is safe to repeat."""
    now = now or timezone.now()
    return {
        "created": followups_create_missing(now=now),
        "completed": followups_complete_held(now=now),
        "reminders": followup_reminders_send(today=timezone.localtime(now).date()),
        "escalated": followups_escalate_overdue(today=timezone.localtime(now).date()),
        "surveys": surveys_send_after_meetings(now=now),
    }
