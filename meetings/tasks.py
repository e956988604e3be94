from celery import shared_task

from meetings import outreach


@shared_task(ignore_result=True)
def send_meeting_reminders() -> int:
    """Queue reminders for meetings within two days; safe to run any number of times."""
    return outreach.reminders_send()
