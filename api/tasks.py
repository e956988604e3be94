import time

from celery import shared_task

from api import webhooks
from api.models import WebhookDelivery

TASK_SECONDS = 60


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhooks() -> int:
    """Post due webhook deliveries batch by batch; hand over to a fresh task after a while."""
    delivered = 0
    deadline = time.monotonic() + TASK_SECONDS
    while time.monotonic() < deadline:
        result = webhooks.deliver_batch()
        if result is None:
            return delivered
        delivered += result
    deliver_webhooks.apply_async(retry=False)
    return delivered


@shared_task(ignore_result=True)
def webhook_sweep() -> int:
    """Wake delivery for deliveries left behind: broker outages, dead workers, retries now due."""
    due = WebhookDelivery.objects.due().count()
    if due:
        webhooks.kick()
    return due
