"""The outbox's Celery tasks: deliver what is due, and sweep up what was left behind."""

import logging
import math
import time

from celery import shared_task
from django.conf import settings

from tif_portal.models import OutboundEmail
from tif_portal.outbox.delivery import deliver_batch

logger = logging.getLogger(__name__)


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
        kick(due)
    return due


@shared_task(ignore_result=True)
def deliver_one_mail_naively(renderer: str, params: dict, to: str, language: str = "sv") -> None:
    """The design the outbox replaces, kept as the benchmark's baseline: one task per mail,
    each opening its own SMTP connection, with no row, no fence and no retry record."""
    from django.core.mail import get_connection

    from tif_portal.outbox.delivery import build_message, render

    email = OutboundEmail(key=f"naive:{to}:{renderer}", to=to, renderer=renderer, params=params, language=language)
    message = build_message(email, render(email))
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    message.connection = connection
    message.send()


def kick(count: int) -> int:
    """Ask workers to deliver; a broker that is down is logged, not raised."""
    tasks = max(1, min(settings.OUTBOX_PARALLEL_TASKS, math.ceil(count / settings.OUTBOX_BATCH_SIZE)))
    sent = 0
    for _ in range(tasks):
        try:
            deliver_outbox.apply_async(retry=False)
            sent += 1
        except Exception:  # noqa: BLE001 - any broker failure: the sweep will retry
            logger.warning("Broker unreachable; %d outbox rows wait for the sweep", count, exc_info=True)
            break
    return sent
