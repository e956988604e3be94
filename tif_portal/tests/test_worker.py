"""The outbox with real Celery workers: killed workers, a broker that is down."""

import time
from collections import Counter

import pytest
from django.urls import reverse

from meetings.models import Contact, Site
from meetings.services.outreach import invitations_send
from tif_portal.models import OutboundEmail
from tif_portal.outbox.tasks import outbox_sweep
from tif_portal.testing.worker import broker_down, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def make_recipients(municipality, n):
    sites = Site.objects.bulk_create(
        Site(municipality=municipality, company="PostNord", name=f"Ombud {i}", external_id=f"K-{i}",
             street=f"Storgatan {i}", postal_code="852 30", city=municipality.name)
        for i in range(n // 2 + 1)
    )
    return Contact.objects.bulk_create(
        Contact(site=sites[i // 2], name=f"Kontakt {i}", email=f"kontakt{i}@ombud.example") for i in range(n)
    )


def sweep():
    outbox_sweep.apply_async()


def states():
    return Counter(OutboundEmail.objects.values_list("state", "last_error"))


def sent_count():
    return OutboundEmail.objects.filter(state=OutboundEmail.State.SENT).count()


@pytest.fixture
def production_worker(real_celery, deliver_by_smtp, tmp_path):
    """A real worker with its scheduler, on the production claim time and sweep interval."""
    from tif_portal.testing.worker import WorkerProcess, worker_env

    worker = WorkerProcess(
        worker_env(smtp_host=deliver_by_smtp.host, smtp_port=deliver_by_smtp.port, claim_seconds=None),
        log_dir=str(tmp_path), beat=True,
    )
    worker.start()
    yield worker
    worker.kill()
    real_celery.control.purge()


def test_killing_the_worker_mid_send_neither_loses_nor_duplicates_a_mail_and_recovers_within_a_minute(
    production_worker, deliver_by_smtp, meeting_sundsvall, anna_sundsvall, sundsvall, settings
):
    contacts = make_recipients(sundsvall, 1000)
    invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)

    wait_until(lambda: len(deliver_by_smtp.messages) >= 100, timeout=60, interval=0.05, message=lambda: f"no mail arrived: {states()}\n{production_worker.log()[-3000:]}")
    production_worker.kill()
    delivered_before_restart = len(deliver_by_smtp.messages)
    assert delivered_before_restart < 1000, "the send finished before the worker was killed"
    assert OutboundEmail.objects.filter(state=OutboundEmail.State.SENDING).exists(), "the worker died holding claims"

    # Nobody sweeps by hand: the restarted worker and its scheduler find every row themselves,
    # the ones the dead worker had claimed as soon as the (short) claim runs out.
    restarted = time.monotonic()
    production_worker.start()
    wait_until(lambda: sent_count() == 1000, timeout=60, interval=0.5,
               message=lambda: f"only {sent_count()} of 1000 sent 60 s after the restart: {states()}")
    recovery = time.monotonic() - restarted
    wait_until(lambda: len(deliver_by_smtp.messages) >= 1000, timeout=10,
               message=lambda: f"{len(deliver_by_smtp.messages)} of 1000 reached the server, "
                               f"{delivered_before_restart} before the restart")
    print(f"all 1000 mails sent {recovery:.1f} s after the restart ({delivered_before_restart} before the kill)")

    per_recipient = Counter(str(m["To"]) for m in deliver_by_smtp.messages)
    assert len(deliver_by_smtp.messages) == 1000
    assert len(per_recipient) == 1000 and set(per_recipient.values()) == {1}
    assert {c.email for c in contacts} == set(per_recipient)


def test_a_send_while_the_broker_is_down_answers_and_the_sweep_delivers_later(
    celery_worker_process, deliver_by_smtp, client, meeting_sundsvall, anna_sundsvall, sundsvall
):
    make_recipients(sundsvall, 40)
    client.force_login(anna_sundsvall)
    with broker_down():
        response = client.post(reverse("meetings:invitation_send", args=[meeting_sundsvall.pk]),
                               {"municipality": sundsvall.pk, "participation": "any"})
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(state=OutboundEmail.State.QUEUED).count() == 40
    assert deliver_by_smtp.messages == []

    # The broker is back: the periodic sweep finds the rows.
    wait_until(lambda: sent_count() == 40, timeout=60, interval=1, every=sweep)
    wait_until(lambda: len(deliver_by_smtp.messages) == 40, timeout=10)
    assert len({str(m["To"]) for m in deliver_by_smtp.messages}) == 40


def test_a_refused_connection_is_retried_by_the_worker_until_the_server_is_back(
    real_celery, deliver_by_smtp, meeting_sundsvall, anna_sundsvall, sundsvall, tmp_path
):
    from tif_portal.testing.worker import WorkerProcess, closed_port, worker_env

    contacts = make_recipients(sundsvall, 5)
    worker = WorkerProcess(worker_env(smtp_host=deliver_by_smtp.host, smtp_port=closed_port()), log_dir=str(tmp_path))
    worker.start()
    try:
        invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
        wait_until(lambda: OutboundEmail.objects.filter(state=OutboundEmail.State.RETRYING).count() == 5, timeout=30)
        assert "Connection" in OutboundEmail.objects.first().last_error
    finally:
        worker.kill()
    worker.env = worker_env(smtp_host=deliver_by_smtp.host, smtp_port=deliver_by_smtp.port)
    worker.start()
    try:
        wait_until(lambda: sent_count() == 5, timeout=60, interval=1, every=sweep)
    finally:
        worker.kill()
    assert len(deliver_by_smtp.messages) == 5
