from celery import shared_task

from followup import services


@shared_task(acks_late=True)
def followup_daily() -> dict:
    """Create missing follow-ups, send reminders and surveys that are due (safe to run twice)."""
    return services.followup_daily()
