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
import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from api import tasks
from api.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)


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
        transaction.on_commit(tasks.kick)
    return len(new)


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
