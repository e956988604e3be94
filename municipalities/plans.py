"""The working group's plans (steps 1–3): the decision, vision and goals, the situation
picture, the action plan with owners who are reminded, and the communication plan."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from municipalities import emails
from municipalities.models import ActionItem, CommunicationItem, Goal, Membership, SituationEntry, WorkingGroup
from municipalities.selectors import actions_due
from tif_portal import outbox

PLAN_MODELS = {"situation": SituationEntry, "action": ActionItem, "communication": CommunicationItem, "goal": Goal}
# Roles in a working group that may add to the situation picture besides those who manage.
SITUATION_ROLES = (Membership.Role.POLICE, Membership.Role.CUSTOMS, Membership.Role.COORDINATOR)
# An action's owner hears about it this many days before it is due (and once more if the date moves).
ACTION_REMINDER_DAYS = 7


def group_members(group: WorkingGroup):
    """The active people who sit in the group: the only ones who may own an action."""
    return User.objects.filter(memberships__working_group=group, is_active=True).order_by("name")


def may_record_situation(user, group: WorkingGroup) -> bool:
    """Instructors (police, customs) and coordinators of the group, and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return Membership.objects.filter(working_group=group, user=user, role__in=SITUATION_ROLES).exists()


def _check_owner(group: WorkingGroup, fields: dict) -> None:
    owner = fields.get("owner")
    if owner is not None and not group_members(group).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Den ansvariga måste sitta i arbetsgruppen.")})


@transaction.atomic
def plan_item_create(*, kind: str, group: WorkingGroup, created_by, **fields):
    model = PLAN_MODELS[kind]
    if model is SituationEntry:
        fields["recorded_by"] = created_by
    if model is ActionItem:
        _check_owner(group, fields)
    item = model(working_group=group, **fields)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_item_update(*, item, **fields):
    if isinstance(item, ActionItem):
        _check_owner(item.working_group, fields)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def situation_entry_retire(*, entry: SituationEntry, by) -> SituationEntry:
    """The entry no longer describes the situation: it leaves the picture but stays on record."""
    if entry.retired_at is None:
        entry.retired_at, entry.retired_by = timezone.now(), by
        entry._history_user = by
        entry.save(update_fields=["retired_at", "retired_by"])
    return entry


@transaction.atomic
def situation_entry_restore(*, entry: SituationEntry, by) -> SituationEntry:
    entry.retired_at, entry.retired_by = None, None
    entry._history_user = by
    entry.save(update_fields=["retired_at", "retired_by"])
    return entry


# Step 1 -------------------------------------------------------------------------------------


@transaction.atomic
def decision_save(*, group: WorkingGroup, by, **fields) -> WorkingGroup:
    """Record the decision that anchors the work: date, reference number, who decided, the document.

    A document left out keeps the one already stored; the history keeps who changed what.
    """
    document = fields.pop("decision_document", None)
    for name, value in fields.items():
        setattr(group, name, value)
    if document is False:
        group.decision_document.delete(save=False)
        group.decision_document = ""
    elif document:
        group.decision_document = document
    group.full_clean(exclude=["municipality"])
    group._history_user = by
    group.save()
    return group


# Action reminders and the weekly digest ------------------------------------------------------


def action_reminders_send(*, now: datetime) -> int:
    """Mail each action's owner a week before it is due; a moved due date is reminded again.

    ``reminded_for`` is set in the same transaction as the mail is queued, and the key names
    the due date, so running this any number of times a day sends each reminder once. An owner
    who has left the group is not reminded (they no longer see the plan).
    """
    today = timezone.localtime(now).date()
    with transaction.atomic():
        due = list(
            ActionItem.objects.filter(
                owner__isnull=False,
                owner__is_active=True,
                due_date__gte=today,
                due_date__lte=today + timedelta(days=ACTION_REMINDER_DAYS),
            )
            .exclude(status=ActionItem.Status.DONE)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("owner", "working_group")
        )
        due = [a for a in due if a.reminded_for != a.due_date]
        seated = set(
            Membership.objects.filter(working_group_id__in={a.working_group_id for a in due}).values_list(
                "working_group_id", "user_id"
            )
        )
        due = [a for a in due if (a.working_group_id, a.owner_id) in seated]
        queued = outbox.enqueue(emails.action_reminder_mail(action, today) for action in due)
        for action in due:
            ActionItem.objects.filter(pk=action.pk).update(reminded_for=action.due_date)
    return queued


def actions_digest_send(*, today: date | None = None) -> int:
    """The weekly digest of due and overdue actions to each group's coordinators, once per ISO week."""
    today = today or timezone.localdate()
    group_ids = set(
        actions_due(groups=WorkingGroup.objects.all(), today=today).values_list("working_group_id", flat=True)
    )
    if not group_ids:
        return 0
    groups = {g.pk: g for g in WorkingGroup.objects.filter(pk__in=group_ids)}
    coordinators = Membership.objects.filter(
        working_group_id__in=group_ids, role=Membership.Role.COORDINATOR, user__is_active=True
    ).select_related("user")
    mails = [emails.actions_digest_mail(groups[m.working_group_id], m.user, today) for m in coordinators]
    with transaction.atomic():
        return outbox.enqueue(mails)


def require_situation_recorder(user, group: WorkingGroup) -> None:
    if not may_record_situation(user, group):
        raise PermissionDenied
