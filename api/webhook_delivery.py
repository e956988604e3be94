"""Posting webhook deliveries: claim due rows with a fencing token, post, log every try.

See ``api.webhooks`` for how deliveries are written and signed.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)
State = WebhookDelivery.State
CLAIM_SECONDS = 60
BATCH_SIZE = 20


# Delivering ------------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 6 * 3600))


def claim_batch(size: int = BATCH_SIZE) -> tuple[str, list[WebhookDelivery]]:
    """Mark up to ``size`` due deliveries as ours; concurrent workers skip locked rows."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return token, []
        WebhookDelivery.objects.filter(id__in=ids).update(
            state=State.SENDING, claim_token=token, claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    return token, list(WebhookDelivery.objects.filter(id__in=ids).select_related("webhook").order_by("id"))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A receiver answers itself: following a redirect could post the payload somewhere else.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Post the payload; (HTTP status or None when no answer came, detail)."""
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "TIF-portalen-webhooks/1",
            "X-TIF-Event": delivery.event,
            "X-TIF-Delivery": delivery.payload["id"],
            "X-TIF-Timestamp": timestamp,
            "X-TIF-Signature": sign(delivery.webhook.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"[:2000]


def _mark(delivery: WebhookDelivery, token: str, status: int | None, detail: str) -> WebhookAttempt:
    ok = status is not None and 200 <= status < 300
    if ok:
        WebhookDelivery.objects.filter(pk=delivery.pk, claim_token=token).update(
            state=State.SENT, attempts=delivery.attempts + 1, delivered_at=timezone.now(), last_error="",
            claim_token="", claimed_until=None,
        )
    else:
        attempts = delivery.attempts + 1
        # A 4xx other than 408 and 429 is the receiver refusing this payload: asking again will not help.
        permanent = status is not None and 400 <= status < 500 and status not in (408, 429)
        give_up = permanent or attempts >= settings.WEBHOOK_MAX_ATTEMPTS
        WebhookDelivery.objects.filter(pk=delivery.pk, claim_token=token).update(
            state=State.FAILED if give_up else State.RETRYING,
            attempts=attempts,
            next_attempt_at=timezone.now() + retry_delay(attempts),
            last_error=detail or f"HTTP {status}",
            claim_token="",
            claimed_until=None,
        )
    return WebhookAttempt(delivery_id=delivery.pk, ok=ok, status_code=status, detail=detail)


def deliver_batch(size: int = BATCH_SIZE) -> int | None:
    """Claim and post one batch; the number delivered, or None when nothing is due."""
    token, deliveries = claim_batch(size)
    if not deliveries:
        return None
    log, delivered = [], 0
    try:
        for delivery in deliveries:
            status, detail = post(delivery)
            log.append(_mark(delivery, token, status, detail))
            delivered += log[-1].ok
    finally:
        WebhookAttempt.objects.bulk_create(log)
    return delivered
