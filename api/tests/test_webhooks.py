"""Webhook deliveries against a real HTTP receiver on this machine, one that is down for a while."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from api import services, webhook_delivery, webhooks
from api.models import WebhookDelivery
from api.tasks import webhook_sweep
from meetings.services import meetings as meeting_services
from tif_portal.testing.worker import closed_port

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on loopback that keeps what it is posted and answers ``status``."""

    def __init__(self, port: int, status: int = 200):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.headers, body))  # case-insensitive names
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def verified(secret: str, headers: dict, body: bytes) -> bool:
    expected = hmac.new(secret.encode(), headers["X-TIF-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-TIF-Signature"], f"sha256={expected}")


def as_if_the_wait_had_passed():
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())


def test_a_receiver_that_is_down_gets_the_event_exactly_once_when_it_is_back(anna_sundsvall, meeting_sundsvall):
    port = closed_port()
    hook = services.webhook_create(owner=anna_sundsvall, url=f"http://127.0.0.1:{port}/tif", events=["meeting.cancelled"])
    meeting_services.meeting_cancel(meeting=meeting_sundsvall, cancelled_by=anna_sundsvall)
    delivery = WebhookDelivery.objects.get()

    assert webhook_delivery.deliver_batch() == 0  # the receiver is down
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.RETRYING and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now(), "it waits before the next try"
    assert webhook_delivery.deliver_batch() is None, "nothing is due during the wait"
    as_if_the_wait_had_passed()
    assert webhook_delivery.deliver_batch() == 0  # still down: the wait doubles
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and "Connection" in delivery.last_error

    with Receiver(port) as receiver:
        as_if_the_wait_had_passed()
        assert webhook_delivery.deliver_batch() == 1
        assert webhook_delivery.deliver_batch() is None
        as_if_the_wait_had_passed()
        assert webhook_delivery.deliver_batch() is None, "a delivered event is not due again"
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verified(hook.secret, headers, body)
    assert not verified("another secret", headers, body)
    payload = json.loads(body)
    assert payload["event"] == "meeting.cancelled" and payload["data"]["meeting"] == meeting_sundsvall.pk
    assert headers["X-TIF-Delivery"] == payload["id"]
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.SENT and delivery.attempts == 3
    assert [a.ok for a in delivery.attempts_log.all()] == [False, False, True], "every try is in the log"


def test_the_sweep_delivers_through_the_task(anna_sundsvall, meeting_sundsvall):
    port = closed_port()
    with Receiver(port) as receiver:
        hook = services.webhook_create(owner=anna_sundsvall, url=f"http://127.0.0.1:{port}/", events=["meeting.cancelled"])
        meeting_services.meeting_cancel(meeting=meeting_sundsvall, cancelled_by=anna_sundsvall)
        assert webhook_sweep() == 1
        assert webhook_sweep() == 0
    assert len(receiver.received) == 1 and verified(hook.secret, *receiver.received[0])


def test_a_receiver_that_refuses_the_payload_is_not_asked_again(anna_sundsvall, meeting_sundsvall):
    port = closed_port()
    with Receiver(port, status=410):
        services.webhook_create(owner=anna_sundsvall, url=f"http://127.0.0.1:{port}/", events=["meeting.cancelled"])
        meeting_services.meeting_cancel(meeting=meeting_sundsvall, cancelled_by=anna_sundsvall)
        webhook_delivery.deliver_batch()
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.FAILED


def test_events_reach_only_subscribers_who_may_see_them(anna_sundsvall, bo_harnosand, meeting_harnosand):
    services.webhook_create(owner=anna_sundsvall, url="https://example.org/anna", events=["meeting.cancelled"])
    services.webhook_create(owner=bo_harnosand, url="https://example.org/bo", events=["registration.created"])
    meeting_services.meeting_cancel(meeting=meeting_harnosand, cancelled_by=bo_harnosand)
    assert WebhookDelivery.objects.count() == 0, "Anna may not see Härnösand's meeting; Bo wants other events"


def test_the_same_change_writes_its_delivery_once(anna_sundsvall, meeting_sundsvall):
    services.webhook_create(owner=anna_sundsvall, url="https://example.org/anna", events=["meeting.cancelled"])
    meeting_services.meeting_cancel(meeting=meeting_sundsvall, cancelled_by=anna_sundsvall)
    meeting_sundsvall.refresh_from_db()
    assert webhooks.meeting_cancelled(meeting_sundsvall) == 0
    assert WebhookDelivery.objects.count() == 1


def test_a_registration_and_a_decal_order_step_are_pushed(karin_county, anna_sundsvall, decal_order_harnosand, meeting_sundsvall, contact_sundsvall):
    from decals import services as decal_services
    from meetings.models import Invitation
    from meetings.services.outreach import registrations_create

    services.webhook_create(owner=karin_county, url="https://example.org/karin", events=["decal_order.state_changed"])
    services.webhook_create(owner=anna_sundsvall, url="https://example.org/anna", events=["registration.created"])
    decal_services.order_reject(order=decal_order_harnosand, by=karin_county, reason="Fel adress")
    invitation = Invitation.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    registrations_create(
        invitation=invitation, people=[{"name": contact_sundsvall.name, "email": contact_sundsvall.email}], join_network=False
    )
    events = {d.event: d.payload["data"] for d in WebhookDelivery.objects.all()}
    assert events["decal_order.state_changed"]["state"] == "rejected"
    assert events["registration.created"]["meeting"] == meeting_sundsvall.pk
