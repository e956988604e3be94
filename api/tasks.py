"""The webhooks' Celery tasks: post what is due, and sweep up what was left behind."""

import logging
import time

from celery import shared_task

from api import webhook_delivery
from api.models import WebhookDelivery

logger = logging.getLogger(__name__)
TASK_SECONDS = 60


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhooks() -> int:
    """Post due webhook deliveries batch by batch; hand over to a fresh task after a while."""
    delivered = 0
    deadline = time.monotonic() + TASK_SECONDS
    while time.monotonic() < deadline:
        result = webhook_delivery.deliver_batch()
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
        kick()
    return due


def kick() -> None:
    """Ask a worker to deliver; a broker that is down is logged, and the sweep delivers later."""
    try:
        deliver_webhooks.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep will retry
        logger.warning("Broker unreachable; webhook deliveries wait for the sweep", exc_info=True)
