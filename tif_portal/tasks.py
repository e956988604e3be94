import time

from celery import shared_task
from django.conf import settings

from tif_portal import outbox
from tif_portal.models import OutboundEmail
from tif_portal.outbox.delivery import deliver_batch


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox() -> int:
    """Deliver due outbox rows batch by batch; hand over to a fresh task after a while."""
    sent = 0
    deadline = time.monotonic() + settings.OUTBOX_TASK_SECONDS
    while time.monotonic() < deadline:
        result = deliver_batch()
        if result is None:
            return sent
        sent += result.sent
    deliver_outbox.apply_async(retry=False)
    return sent


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    """Wake delivery for rows left behind: broker outages, dead workers, retries now due."""
    due = OutboundEmail.objects.due().count()
    if due:
        outbox.kick(due)
    return due
