"""Webhooks: events become delivery rows in the transaction of the change; tasks post them.

The same reliability pattern as the mail outbox (tif_portal/outbox): a row per event and
subscription with a unique key (writing it twice writes it once), delivery requested after
commit, a worker claims due rows with a fencing token, a failure is charged an attempt and
waits twice as long as the previous one, and a periodic sweep picks up what a broker outage
or a dead worker left. Every try is logged (WebhookAttempt), visible to the owner.

A delivery is marked delivered only when the receiver answered 2xx, so a receiver that is
down gets it once it is back. Each post carries ``X-TIF-Delivery``: should a worker die
between the receiver's answer and the commit, the post goes again with the same id, by
which the receiver recognises the copy.

Signature: ``X-TIF-Signature: sha256=<hex>`` is HMAC-SHA256 with the subscription's secret
over ``<X-TIF-Timestamp>.<body>``; receivers should also refuse old timestamps.
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
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from api.models import Webhook, WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)
State = WebhookDelivery.State
CLAIM_SECONDS = 60
BATCH_SIZE = 20


# Writing deliveries ----------------------------------------------------------------------


def _subscribers(event: str, obj) -> list[Webhook]:
    """Active subscriptions to ``event`` whose owner may see ``obj`` (its model's visible_to)."""
    hooks = [h for h in Webhook.objects.filter(active=True).select_related("owner") if event in h.events]
    visible = type(obj).objects
    return [h for h in hooks if h.owner.is_active and visible.visible_to(h.owner).filter(pk=obj.pk).exists()]


def emit(event: str, obj, *, data: dict, version) -> int:
    """Write a delivery of ``event`` about ``obj`` for each subscriber; ``version`` tells this
    change of the object from the next one (a state, a sequence number). Returns how many are new."""
    hooks = _subscribers(event, obj)
    if not hooks:
        return 0
    rows = []
    for hook in hooks:
        key = f"{event}:{obj.pk}:{version}:{hook.pk}"
        body = {
            "id": hashlib.sha256(key.encode()).hexdigest()[:32],
            "event": event,
            "occurred_at": timezone.now().isoformat(),
            "data": data,
        }
        rows.append(WebhookDelivery(webhook=hook, key=key, event=event, payload=json.loads(json.dumps(body, cls=DjangoJSONEncoder))))
    existing = set(WebhookDelivery.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
    new = [r for r in rows if r.key not in existing]
    WebhookDelivery.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        transaction.on_commit(kick)
    return len(new)


def kick() -> None:
    """Ask a worker to deliver; a broker that is down is logged, and the sweep delivers later."""
    from api.tasks import deliver_webhooks

    try:
        deliver_webhooks.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep will retry
        logger.warning("Broker unreachable; webhook deliveries wait for the sweep", exc_info=True)


# The events ------------------------------------------------------------------------------------


def registration_created(registration) -> int:
    contact = registration.contact
    return emit(
        Webhook.Event.REGISTRATION_CREATED,
        registration,
        version=f"{registration.status}:{registration.history.count()}",
        data={
            "registration": registration.pk,
            "meeting": registration.meeting_id,
            "status": registration.status,
            "contact": {"id": contact.pk, "name": contact.name, "email": contact.email, "site": contact.site_id},
        },
    )


def registrations_created(registrations) -> int:
    """One event per new (or renewed) seat; nothing at all when no one subscribes."""
    if not registrations or not Webhook.objects.filter(active=True).exists():
        return 0
    return sum(registration_created(registration) for registration in registrations)


def meeting_cancelled(meeting) -> int:
    return emit(
        Webhook.Event.MEETING_CANCELLED,
        meeting,
        version=meeting.sequence,
        data={"meeting": meeting.pk, "title": meeting.title, "starts_at": meeting.starts_at, "status": meeting.status},
    )


def decal_order_state_changed(order) -> int:
    return emit(
        Webhook.Event.DECAL_ORDER_STATE,
        order,
        version=order.state,
        data={"decal_order": order.pk, "site": order.site_id, "state": order.state, "quantity": order.quantity},
    )


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
