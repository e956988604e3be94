import socket
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from tif_portal import outbox
from tif_portal.models import DeliveryAttempt, OutboundEmail
from tif_portal.outbox import delivery
from tif_portal.outbox.tasks import outbox_sweep

pytestmark = pytest.mark.django_db


def mails(n, prefix="t"):
    return [
        outbox.Mail(key=f"{prefix}:{i}", to=f"person{i}@ombud.example", purpose="test", subject=f"Hej {i}", body_text="Text")
        for i in range(n)
    ]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_enqueueing_the_same_keys_twice_queues_nothing_new():
    assert outbox.enqueue(mails(3)) == 3
    assert outbox.enqueue(mails(5)) == 2
    assert OutboundEmail.objects.count() == 5


def test_a_batch_goes_out_over_smtp_and_each_row_is_marked_sent(deliver_by_smtp):
    outbox.enqueue(mails(3))
    result = delivery.deliver_batch()
    assert result.sent == 3, list(OutboundEmail.objects.values_list('last_error', flat=True))
    assert len(deliver_by_smtp.messages) == 3
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {OutboundEmail.State.SENT}
    assert DeliveryAttempt.objects.filter(outcome=DeliveryAttempt.Outcome.SENT, smtp_code=250).count() == 3
    assert delivery.deliver_batch() is None


def test_a_message_with_lines_starting_with_a_dot_arrives_whole(deliver_by_smtp):
    outbox.enqueue([outbox.Mail(key="dots", to="a@ombud.example", purpose="test", subject="Punkt", body_text=".\n.rad\nslut")])
    delivery.deliver_batch()
    assert deliver_by_smtp.messages[0].get_content().splitlines()[:3] == [".", ".rad", "slut"]


def test_a_temporary_rejection_is_retried_later_and_then_delivered(deliver_by_smtp, settings):
    deliver_by_smtp.replies["person0@ombud.example"] = "451 4.3.0 Try again later"
    outbox.enqueue(mails(2))
    result = delivery.deliver_batch()
    assert (result.sent, result.retrying) == (1, 1)
    row = OutboundEmail.objects.get(key="t:0")
    assert row.state == OutboundEmail.State.RETRYING
    assert row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert delivery.deliver_batch() is None, "not due before its backoff has passed"

    deliver_by_smtp.replies.clear()
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.deliver_batch().sent == 1
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.SENT and row.attempts == 2 and row.last_error == ""
    assert len(deliver_by_smtp.to("person0@ombud.example")) == 1


def test_backoff_doubles_with_each_attempt(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    assert [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert delivery.retry_delay(30) == timedelta(hours=6)


def test_a_permanent_rejection_fails_at_once_with_the_reason(deliver_by_smtp):
    deliver_by_smtp.replies["person1@ombud.example"] = "550 5.1.1 No such user"
    outbox.enqueue(mails(3))
    result = delivery.deliver_batch()
    assert (result.sent, result.failed) == (2, 1)
    row = OutboundEmail.objects.get(key="t:1")
    assert row.state == OutboundEmail.State.FAILED and row.attempts == 1
    assert "550" in row.last_error and "No such user" in row.last_error
    assert DeliveryAttempt.objects.get(email=row).outcome == DeliveryAttempt.Outcome.PERMANENT
    assert len(deliver_by_smtp.messages) == 2


def test_a_refused_connection_leaves_the_whole_batch_retrying(deliver_by_smtp, settings):
    settings.EMAIL_PORT = closed_port()
    outbox.enqueue(mails(3))
    result = delivery.deliver_batch()
    assert result.retrying == 3
    rows = OutboundEmail.objects.all()
    assert {r.state for r in rows} == {OutboundEmail.State.RETRYING}
    assert all("Connection" in r.last_error for r in rows)
    assert all(r.claim_token == "" for r in rows)


def test_giving_up_after_the_last_attempt(deliver_by_smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    deliver_by_smtp.replies["person0@ombud.example"] = "421 Busy"
    outbox.enqueue(mails(1))
    delivery.deliver_batch()
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    delivery.deliver_batch()
    assert OutboundEmail.objects.get().state == OutboundEmail.State.FAILED


def test_a_row_reclaimed_from_a_slow_worker_is_sent_only_by_the_new_claimant(deliver_by_smtp, settings):
    settings.OUTBOX_CLAIM_SECONDS = 0
    outbox.enqueue(mails(1))
    old_token, [old_row] = delivery.claim_batch(10)
    time.sleep(0.01)
    new_token, [new_row] = delivery.claim_batch(10)
    assert new_token != old_token

    session = delivery.SmtpSession()
    message = delivery.build_message(old_row, delivery.render(old_row))
    with pytest.raises(delivery.ClaimLost):
        session.send(message, lambda: delivery.marked_sent(old_row, old_token, delivery.render(old_row)))
    session.close()
    time.sleep(0.2)
    assert deliver_by_smtp.messages == [], "data without its end marker is discarded by the server"

    session = delivery.SmtpSession()
    rendered = delivery.render(new_row)
    session.send(delivery.build_message(new_row, rendered), lambda: delivery.marked_sent(new_row, new_token, rendered))
    session.close()
    assert len(deliver_by_smtp.messages) == 1
    assert OutboundEmail.objects.get().state == OutboundEmail.State.SENT


def test_an_end_marker_that_never_leaves_rolls_the_sent_mark_back(deliver_by_smtp):
    outbox.enqueue(mails(1))
    token, [row] = delivery.claim_batch(10)
    rendered = delivery.render(row)
    session = delivery.SmtpSession()

    @contextmanager
    def marking_then_losing_the_connection():
        with delivery.marked_sent(row, token, rendered):
            session.conn.sock.shutdown(socket.SHUT_WR)
            yield

    with pytest.raises(delivery.TemporaryFailure):
        session.send(delivery.build_message(row, rendered), marking_then_losing_the_connection)
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.SENDING and row.sent_at is None
    assert deliver_by_smtp.messages == []


def test_a_message_refused_after_its_end_marker_is_not_left_marked_sent(deliver_by_smtp):
    deliver_by_smtp.data_reply = "554 Message refused"
    outbox.enqueue(mails(1))
    result = delivery.deliver_batch()
    row = OutboundEmail.objects.get()
    assert result.failed == 1 and deliver_by_smtp.messages == []
    assert row.state == OutboundEmail.State.FAILED and row.sent_at is None
    assert "554" in row.last_error


def test_a_claim_past_its_time_is_due_again_and_a_fresh_one_is_not(settings):
    outbox.enqueue(mails(2))
    token, rows = delivery.claim_batch(1)
    assert OutboundEmail.objects.due().count() == 1
    OutboundEmail.objects.filter(pk=rows[0].pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert OutboundEmail.objects.due().count() == 2


def test_the_message_id_is_the_same_for_every_attempt_and_names_the_portals_domain(deliver_by_smtp, settings):
    settings.SITE_URL = "https://tif.example.se"
    outbox.enqueue(mails(1))
    row = OutboundEmail.objects.get()
    first = delivery.build_message(row, delivery.render(row)).extra_headers["Message-ID"]
    again = delivery.build_message(row, delivery.render(row)).extra_headers["Message-ID"]
    assert first == again and first.endswith("@tif.example.se>")
    delivery.deliver_batch()
    assert deliver_by_smtp.messages[0]["Message-ID"] == first


def test_a_connection_cut_after_the_end_marker_sends_a_copy_with_the_same_message_id(deliver_by_smtp, settings):
    # The server took the message, but the connection went before its reply: the portal cannot
    # know, so it sends again, and the receiver sees the same message twice, not two messages.
    deliver_by_smtp.drops_after_data = 1
    outbox.enqueue(mails(1))
    result = delivery.deliver_batch()
    assert result.retrying == 1 and len(deliver_by_smtp.messages) == 1
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    assert delivery.deliver_batch().sent == 1
    first, copy = deliver_by_smtp.messages
    assert first["Message-ID"] == copy["Message-ID"]
    assert OutboundEmail.objects.get().attempts == 2


def test_a_dropped_connection_charges_an_attempt_only_to_the_message_being_sent(deliver_by_smtp):
    deliver_by_smtp.drops_after_data = 1
    outbox.enqueue(mails(3))
    result = delivery.deliver_batch()
    assert (result.sent, result.retrying) == (2, 1)
    attempts = dict(OutboundEmail.objects.values_list("key", "attempts"))
    assert attempts == {"t:0": 1, "t:1": 1, "t:2": 1}
    assert OutboundEmail.objects.get(key="t:0").state == OutboundEmail.State.RETRYING
    assert set(OutboundEmail.objects.exclude(key="t:0").values_list("state", flat=True)) == {OutboundEmail.State.SENT}
    assert deliver_by_smtp.connections == 2, "the next message opens a new connection"


def test_a_refused_greeting_opens_one_connection_for_the_whole_batch(deliver_by_smtp):
    deliver_by_smtp.greeting_reply = "421 4.3.2 Too busy, try later"
    outbox.enqueue(mails(5))
    result = delivery.deliver_batch()
    assert result.retrying == 5 and deliver_by_smtp.messages == []
    assert deliver_by_smtp.connections == 1
    assert all("421" in error for error in OutboundEmail.objects.values_list("last_error", flat=True))


def test_every_mail_says_it_was_written_by_the_portal_and_in_which_language(deliver_by_smtp):
    outbox.enqueue([outbox.Mail(key="en", to="a@ombud.example", purpose="test", subject="Hi", body_text="x", language="en")])
    delivery.deliver_batch()
    [message] = deliver_by_smtp.messages
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "en"


def test_a_renderer_that_breaks_fails_its_row_and_not_the_batch(deliver_by_smtp):
    @outbox.renderer("tests.broken")
    def broken(email):
        raise ValueError("template missing")

    outbox.enqueue([outbox.Mail(key="broken", to="a@ombud.example", purpose="test", renderer="tests.broken"), *mails(1)])
    result = delivery.deliver_batch()
    assert (result.sent, result.failed) == (1, 1)
    assert "template missing" in OutboundEmail.objects.get(key="broken").last_error


def test_a_renderer_is_found_in_its_apps_emails_module_without_an_import():
    assert outbox.get_renderer("meetings.invitation").__module__ == "meetings.emails"


def test_delivery_is_asked_for_after_commit_and_runs_through_the_task(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(mails(2))
    assert len(mailoutbox) == 2
    assert OutboundEmail.objects.filter(state=OutboundEmail.State.SENT).count() == 2


def test_progress_counts_a_batch_by_state():
    outbox.enqueue([outbox.Mail(key=f"b:{i}", to="a@ombud.example", purpose="test", batch="b1") for i in range(4)])
    OutboundEmail.objects.filter(key="b:0").update(state=OutboundEmail.State.SENT)
    OutboundEmail.objects.filter(key="b:1").update(state=OutboundEmail.State.FAILED)
    progress = outbox.progress("b1")
    assert (progress["total"], progress["done"], progress["percent"], progress["finished"]) == (4, 2, 50, False)
    assert progress["queued"] == 2


def test_a_broker_that_is_down_does_not_reach_the_caller():
    from tif_portal.testing.worker import broker_down

    with broker_down():
        started = time.monotonic()
        assert outbox.kick(500) == 0
        assert time.monotonic() - started < 10


def test_the_sweep_wakes_delivery_for_due_rows(mailoutbox):
    outbox.enqueue(mails(3))  # no commit here, so no delivery was asked for
    assert outbox_sweep() == 3
    assert len(mailoutbox) == 3
    assert outbox_sweep() == 0
