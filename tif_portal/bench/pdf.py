"""Benchmark: how long each document takes, and 500 invitation letters on one and two workers.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m tif_portal.bench.pdf [--runs 5] [--letters 500]

Every figure is compared with the floor measured in the same run: WeasyPrint alone
rendering a plain one-page A4 document with as much text, in the same font, from a
fixed HTML string (no template, no database). Letters run through the real job
pipeline: first in this process with Celery eager (one core), then on a Celery
worker with two processes on the Redis broker. The data it makes is removed afterwards.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tif_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from accounts.models import User  # noqa: E402
from meetings import pdf as meeting_pdf  # noqa: E402
from meetings import tasks as meeting_tasks  # noqa: E402
from meetings.models import ChecklistItem, Contact, Invitation, Meeting, Minutes, Registration, Site  # noqa: E402
from meetings.services import letters  # noqa: E402
from municipalities.models import Municipality, WorkingGroup  # noqa: E402
from tif_portal import pdf  # noqa: E402
from tif_portal.bench import process_tree_cpu_seconds  # noqa: E402
from tif_portal.celery import app  # noqa: E402
from tif_portal.models import BackgroundJob  # noqa: E402

FIRST = ["Åsa", "Märta", "Örjan", "Ängla", "Björn", "Göran", "Lärka", "Östen"]
LAST = ["Öberg", "Ångström", "Sjöström", "Nyström", "Åkesson", "Lindqvist", "Hägg", "Ärlig"]
FLOOR_TEXT = (
    "Polisen och kommunen bjuder in er som arbetar på paketombud, terminaler och brevbärarkontor "
    "till ett samverkansmöte om illegala försändelser. Narkotika, vapen och dopningspreparat skickas "
    "allt oftare som paket och brev. "
)


def median_seconds(function, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in seconds."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def make_data(letters: int):
    """A working group, a meeting and ``letters`` invited contacts, all tagged for removal."""
    tag = uuid.uuid4().hex[:8]
    municipality = Municipality.objects.get(code="2281")
    group = WorkingGroup.objects.create(municipality=municipality, name=f"Mätning {tag}")
    user = User.objects.create_user(f"bench-{tag}@tif.example", None, name="Anna Åkesson", role=User.Role.COORDINATOR)
    start = timezone.now() + timezone.timedelta(days=14)
    meeting = Meeting.objects.create(
        working_group=group, title="Samverkansmöte Sundsvall", starts_at=start, ends_at=start + timezone.timedelta(hours=2),
        place="Stadshuset", address="Norrmalmsgatan 4", registration_deadline=start - timezone.timedelta(days=2),
        contact_person=user,
    )
    sites = Site.objects.bulk_create(
        Site(municipality=municipality, company="PostNord", name=f"Paketombud Östra {tag} {n:02d}",
             street=f"Storgatan {n}", postal_code="852 30", city="Sundsvall")
        for n in range(max(1, letters // 10))
    )
    contacts = Contact.objects.bulk_create(
        Contact(site=sites[n % len(sites)], name=f"{FIRST[n % 8]} {LAST[(n // 8) % 8]} {n:03d}", email=f"k{n}-{tag}@ombud.example")
        for n in range(letters)
    )
    Invitation.objects.bulk_create(Invitation(meeting=meeting, contact=c) for c in contacts)
    Registration.objects.bulk_create(Registration(meeting=meeting, contact=c) for c in contacts[:25])
    for position, (key, _label) in enumerate(meeting_pdf.ANNEX_2[:4]):
        ChecklistItem.objects.create(meeting=meeting, position=position, key=key, done_at=timezone.now(), done_by=user)
    Minutes.objects.create(meeting=meeting, text="Genomgång av beslag.\n\nFrågor och svar om postlagen.", written_by=user)
    return group, user, meeting, sites


def remove_data(group, user, sites):
    for job in BackgroundJob.objects.filter(params__meeting_id__in=list(group.meetings.values_list("pk", flat=True))):
        job.result.delete(save=False)
        job.delete()
    for meeting in group.meetings.all():
        Registration.objects.filter(meeting=meeting).delete()
        meeting.delete()
    Contact.objects.filter(site__in=sites).delete()
    Site.objects.filter(pk__in=[s.pk for s in sites]).delete()
    group.delete()
    user.delete()


def floor_html(chars: int) -> str:
    text = (FLOOR_TEXT * (chars // len(FLOOR_TEXT) + 1))[:chars]
    paragraphs = "".join(f"<p>{text[i:i + 400]}</p>" for i in range(0, len(text), 400))
    return (
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><style>"
        "@font-face { font-family: 'DejaVu Sans'; src: url('/static/vendor/dejavu/DejaVuSans.ttf'); }"
        "@font-face { font-family: 'DejaVu Sans'; font-weight: bold; src: url('/static/vendor/dejavu/DejaVuSans-Bold.ttf'); }"
        "@page { size: A4; margin: 25mm 20mm 22mm 22mm; } html { font: 10pt/1.4 'DejaVu Sans'; }"
        f"</style></head><body><h1>Inbjudan</h1>{paragraphs}</body></html>"
    )


def render_floor(markup: str) -> bytes:
    return HTML(string=markup, base_url=pdf.BASE_URL, url_fetcher=pdf.LocalFilesFetcher()).write_pdf(
        font_config=pdf.FONT_CONFIG
    )


def run_letters_eager(meeting, user, contacts) -> tuple[float, float, BackgroundJob]:
    app.conf.task_always_eager = True
    try:
        job = BackgroundJob.objects.create(
            kind=BackgroundJob.Kind.INVITATION_LETTERS, municipality=meeting.working_group.municipality,
            params={"meeting_id": meeting.pk, "contact_ids": [c.pk for c in contacts]}, total=len(contacts),
            created_by=user,
        )
        start, start_cpu = time.perf_counter(), time.process_time()
        meeting_tasks.invitation_letters_run(job.pk)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE, job.error
    return elapsed, cpu, job


def run_letters_on_worker(worker, meeting, user, contacts, timeout: float = 900) -> tuple[float, float, BackgroundJob]:
    """Wall time, and CPU of the worker and its pool, for the letters as one background job."""
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS, municipality=meeting.working_group.municipality,
        params={"meeting_id": meeting.pk, "contact_ids": [c.pk for c in contacts]}, total=len(contacts),
        created_by=user,
    )
    start, start_cpu = time.perf_counter(), process_tree_cpu_seconds(worker.pid)
    meeting_tasks.invitation_letters_run.delay(job.pk)
    deadline = start + timeout
    while time.perf_counter() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.1)
    elapsed, cpu = time.perf_counter() - start, process_tree_cpu_seconds(worker.pid) - start_cpu
    assert job.state == BackgroundJob.State.DONE, f"worker job ended as {job.state}: {job.error}"
    return elapsed, cpu, job


def start_worker(concurrency: int) -> subprocess.Popen:
    log = open(Path(settings.VAR_DIR) / "bench-worker.log", "w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tif_portal", "worker", "-c", str(concurrency), "-P", "prefork",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"worker exited: see {log.name}")
        if "ready." in (Path(log.name).read_text(errors="replace")):
            return worker
        time.sleep(0.3)
    worker.terminate()
    raise RuntimeError(f"worker did not start: see {log.name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--letter-rounds", type=int, default=3)
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("REDIS_URL must name the Redis broker the worker uses")

    group, user, meeting, sites = make_data(args.letters)
    try:
        contacts = list(letters.invitation_letter_recipients(meeting))
        rows = []
        # Warm up: the first render loads the fonts and parses the stylesheet once per process.
        meeting_pdf.information_sheet_pdf(meeting)
        letter_chars = 2600  # about the text of one letter
        floor_markup = floor_html(letter_chars)
        floor, _floor_cpu = median_seconds(lambda: render_floor(floor_markup), args.runs * 2)
        builders = [
            ("Inbjudningsbrev (1 mottagare)", lambda: meeting_pdf.invitation_letter_pdf(meeting, contacts[0])),
            ("Checklista (bilaga 2)", lambda: meeting_pdf.checklist_pdf(meeting)),
            ("Närvarolista (25 anmälda)", lambda: meeting_pdf.attendance_sheet_pdf(meeting)),
            ("Minnesanteckningar", lambda: meeting_pdf.minutes_pdf(meeting)),
            ("Informationsblad", lambda: meeting_pdf.information_sheet_pdf(meeting)),
            ("Dekal A4", lambda: meeting_pdf.decal_pdf("a4")),
            ("Dekal A5", lambda: meeting_pdf.decal_pdf("a5")),
            ("Dekal A6", lambda: meeting_pdf.decal_pdf("a6")),
        ]
        for label, build in builders:
            pages = len(PdfReader(io.BytesIO(build())).pages)
            rows.append((label, *median_seconds(build, args.runs), pages))

        # One process and two worker processes take turns, so a load that comes and goes on
        # a shared machine falls on both; each figure is the median of its rounds.
        worker = start_worker(args.workers)
        eager_times, worker_times, eager_cpu, worker_cpu = [], [], [], []
        try:
            run_letters_on_worker(worker, meeting, user, contacts[: meeting_pdf.LETTERS_PER_PART * args.workers])  # warm
            for _round in range(args.letter_rounds):
                seconds, cpu, eager_job = run_letters_eager(meeting, user, contacts)
                eager_times.append(seconds)
                eager_cpu.append(cpu)
                seconds, cpu, worker_job = run_letters_on_worker(worker, meeting, user, contacts)
                worker_times.append(seconds)
                worker_cpu.append(cpu)
        finally:
            worker.terminate()
            worker.wait(30)
        eager_pages = len(PdfReader(eager_job.result.open("rb")).pages)
        worker_pages = len(PdfReader(worker_job.result.open("rb")).pages)
        rows.append((f"{args.letters} brev, 1 process (eager, sekventiellt)", statistics.median(eager_times),
                     statistics.median(eager_cpu), eager_pages))
        rows.append((f"{args.letters} brev, Celery-worker -c {args.workers} (Redis)", statistics.median(worker_times),
                     statistics.median(worker_cpu), worker_pages))
        rounds = {"1 process": eager_times, f"{args.workers} workers": worker_times}
    finally:
        remove_data(group, user, sites)

    print(f"\nGolv (floor): WeasyPrint, en A4-sida med {letter_chars} tecken, samma typsnitt, ingen mall: "
          f"{floor * 1000:.0f} ms (median av {args.runs * 2})\n")
    # Wall time per page divided by the floor flatters work spread over several processes;
    # CPU per page says what each page costs, whoever renders it.
    print(f"{'dokument':<48} {'sidor':>6} {'tid':>10} {'per sida':>10} {'× golv':>8} {'CPU/sida':>10} {'CPU × golv':>11}")
    for label, seconds, cpu, pages in rows:
        per_page, cpu_per_page = seconds / pages, cpu / pages
        print(f"{label:<48} {pages:>6} {seconds * 1000:>8.0f} ms {per_page * 1000:>7.0f} ms {per_page / floor:>8.2f} "
              f"{cpu_per_page * 1000:>7.0f} ms {cpu_per_page / floor:>11.2f}")
    speedup = rows[-2][1] / rows[-1][1]
    for label, times in rounds.items():
        print(f"{args.letters} brev, {label}, varje omgång: " + ", ".join(f"{t:.1f} s" for t in times))
    print(f"\nTvå worker-processer mot en: {speedup:.2f} gånger snabbare; CPU-kärnor på maskinen: {os.cpu_count()}")


if __name__ == "__main__":
    main()
