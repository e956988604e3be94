from celery import shared_task
from django.utils import timezone

from municipalities import plans


@shared_task(acks_late=True)
def actions_digest_weekly() -> int:
    """The weekly digest of due and overdue actions; one mail per coordinator and week."""
    return plans.actions_digest_send()


@shared_task(acks_late=True)
def action_reminders_daily() -> int:
    """Remind each action's owner a week before it is due (safe to run twice)."""
    return plans.action_reminders_send(now=timezone.now())
