"""Mail throughput: the outbox against one Celery task per mail.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/<n> python -m tif_portal.bench.outbox

Creates its own database (tif_bench, dropped and re-created on every run) on the
server of DATABASE_URL and uses the Redis database of REDIS_URL, which it empties.
One real Celery worker with two prefork processes delivers to a local SMTP sink.

1. Outbox: ``invitations_send`` writes 5,000 invitation rows in one transaction; the
   workers claim batches and send each batch over one SMTP connection.
2. Baseline: the same 5,000 invitations, one task per mail, each task opening its own
   SMTP connection (``tif_portal.bench.tasks.deliver_one_mail_naively``).

Both run on the same worker with production settings (persistent database connections,
CONN_MAX_AGE 60 s), so the baseline does not pay a new connection per mail that production
would not.

Both figures run from the first enqueue to the last mail received by the sink.
"""

import os
import sys
import time

from tif_portal.bench import database_url, process_tree_cpu_seconds

MAILS = int(os.environ.get("BENCH_MAILS", "5000"))
BENCH_DB = os.environ.get("BENCH_DATABASE", "tif_bench")
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "1200"))


def _wait_for(sink, count: int, started: float) -> float:
    deadline = time.monotonic() + TIMEOUT
    while sink.count < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {sink.count} of {count} mails arrived in {TIMEOUT:.0f} s")
        time.sleep(0.02)
    return time.monotonic() - started


def main() -> int:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("Set DATABASE_URL (PostgreSQL) and REDIS_URL.", file=sys.stderr)
        return 1
    from tif_portal.bench.sink import CountingSink

    sink = CountingSink().start()
    os.environ.update({
        "DATABASE_URL": database_url(os.environ["DATABASE_URL"], BENCH_DB, fresh=True),
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "DJANGO_SETTINGS_MODULE": "tif_portal.settings",
    })
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    print(f"Database {BENCH_DB}: migrating ...", flush=True)
    call_command("migrate", verbosity=0)

    from accounts.models import User
    from meetings.models import Contact, Invitation, Meeting, Site
    from meetings.services.outreach import invitations_send
    from municipalities.models import County, Municipality, WorkingGroup
    from tif_portal.bench.tasks import deliver_one_mail_naively
    from tif_portal.celery import app
    from tif_portal.testing.worker import WorkerProcess, worker_env

    if not County.objects.exists():
        from municipalities.services import municipalities_load

        municipalities_load()
    municipality = Municipality.objects.get(code="2281")
    group = WorkingGroup.objects.create(municipality=municipality, name="TIF Sundsvall")
    coordinator = User.objects.create_user("bench@tif.example", "bench-password-1", name="Bench", role=User.Role.COORDINATOR)
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=20)
    meeting = Meeting.objects.create(working_group=group, title="Samverkansmöte Sundsvall", starts_at=start,
                                     ends_at=start + timedelta(hours=2), place="Stadshuset", capacity=200)
    sites = Site.objects.bulk_create(
        Site(municipality=municipality, company="PostNord", name=f"Ombud {i}", street=f"Storgatan {i}",
             postal_code="852 30", city="Sundsvall") for i in range(MAILS // 2)
    )
    contacts = Contact.objects.bulk_create(
        Contact(site=sites[i % len(sites)], name=f"Kontakt {i}", email=f"kontakt{i}@ombud.example") for i in range(MAILS)
    )

    app.control.purge()
    worker = WorkerProcess(worker_env(smtp_host=sink.host, smtp_port=sink.port, claim_seconds=300,
                                      DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=settings.REDIS_URL,
                                      OUTBOX_TASK_SECONDS=60, DJANGO_CONN_MAX_AGE=60,
                                      DJANGO_SETTINGS_MODULE="tif_portal.bench.settings"))
    worker.start()
    try:
        # Warm both processes up (templates, the letter PDF) outside the timings.
        warm = invitations_send(meeting=meeting, contacts=contacts[:20], sent_by=coordinator)
        _wait_for(sink, 20, time.monotonic())
        sink.clear()
        Invitation.objects.filter(meeting=meeting).delete()
        from tif_portal.models import OutboundEmail

        OutboundEmail.objects.all().delete()
        print(f"Warm-up done (batch {warm[:8]}). {MAILS:,} invitations, 1 worker × 2 prefork processes, "
              f"SMTP sink on {sink.host}:{sink.port}.", flush=True)

        cpu = process_tree_cpu_seconds(worker.process.pid)
        started = time.monotonic()
        invitations_send(meeting=meeting, contacts=contacts, sent_by=coordinator)
        outbox_seconds = _wait_for(sink, MAILS, started)
        outbox_cpu = (process_tree_cpu_seconds(worker.process.pid) - cpu) / MAILS * 1000
        assert sink.duplicates.value == 0 and sink.count == MAILS, "every recipient exactly once"
        outbox_rate = MAILS / outbox_seconds
        print(f"Outbox (batched, one SMTP connection per batch of {settings.OUTBOX_BATCH_SIZE}): "
              f"{outbox_seconds:.1f} s, {outbox_rate:.0f} mails/s, worker CPU {outbox_cpu:.1f} ms per mail, "
              f"{sink.kilobytes_per_mail:.0f} kB per mail", flush=True)

        sink.clear()
        invitations = dict(Invitation.objects.filter(meeting=meeting).values_list("contact_id", "id"))
        cpu = process_tree_cpu_seconds(worker.process.pid)
        started = time.monotonic()
        for contact in contacts:
            deliver_one_mail_naively.delay("meetings.invitation", {"invitation": invitations[contact.pk]}, contact.email)
        enqueued = time.monotonic() - started
        naive_seconds = _wait_for(sink, MAILS, started)
        naive_cpu = (process_tree_cpu_seconds(worker.process.pid) - cpu) / MAILS * 1000
        naive_rate = MAILS / naive_seconds
        print(f"Baseline (one task and one SMTP connection per mail): {naive_seconds:.1f} s, {naive_rate:.0f} mails/s, "
              f"worker CPU {naive_cpu:.1f} ms per mail, {sink.kilobytes_per_mail:.0f} kB per mail "
              f"(enqueueing alone took {enqueued:.1f} s)", flush=True)
        print(f"Ratio outbox / baseline: {outbox_rate / naive_rate:.2f}×")
    finally:
        worker.kill()
        app.control.purge()
        sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
