"""The meetings' Celery tasks: reminders, and the letter batches' parts and merge."""

import io
import logging
import secrets

from celery import group, shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from meetings.models import Contact, Meeting
from meetings.pdf import DOCUMENTS, LETTERS_PER_PART, invitation_letters_pdf
from meetings.services.meetings import outreach
from tif_portal.models import BackgroundJob
from tif_portal.storage import private_storage

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_meeting_reminders() -> int:
    """Queue reminders for meetings within two days; safe to run any number of times."""
    return outreach.reminders_send()


def part_ids(job: BackgroundJob, index: int) -> list[int]:
    ids = job.params["contact_ids"]
    return ids[index * LETTERS_PER_PART : (index + 1) * LETTERS_PER_PART]


def _part_name(job_id: int, index: int) -> str:
    return f"jobs/parts/{job_id}-{index:04d}.pdf"


def _fail(job_id: int, error: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).exclude(state=BackgroundJob.State.DONE).update(
        state=BackgroundJob.State.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def part_letters(job: BackgroundJob, index: int) -> tuple[int, int]:
    """The part's letters as numbers from 1: (first, last)."""
    first = index * LETTERS_PER_PART + 1
    return first, min(job.total, first + LETTERS_PER_PART - 1)


def _fail_missing(job: BackgroundJob, missing: list[int]) -> None:
    ranges = ", ".join("{}–{}".format(*part_letters(job, index)) for index in missing)
    BackgroundJob.objects.filter(pk=job.pk).exclude(state=BackgroundJob.State.DONE).update(
        state=BackgroundJob.State.FAILED,
        params={**job.params, "missing_parts": missing},
        error=f"Missing parts {missing} (letters {ranges} of {job.total}); nothing was merged.",
        finished_at=timezone.now(),
    )
    logger.error("Letter job %s lacks parts %s", job.pk, missing)


@shared_task(acks_late=True, ignore_result=True)
def invitation_letters_run(job_id: int) -> None:
    """Split the job into parts and hand them to the workers."""
    job = BackgroundJob.objects.filter(pk=job_id, state=BackgroundJob.State.QUEUED).first()
    if job is None:
        return
    parts = max(1, -(-job.total // LETTERS_PER_PART))
    BackgroundJob.objects.filter(pk=job_id).update(state=BackgroundJob.State.RUNNING, parts_total=parts)
    group(invitation_letters_part.si(job_id, index) for index in range(parts)).apply_async()


@shared_task(acks_late=True, ignore_result=True)
def invitation_letters_part(job_id: int, index: int) -> None:
    """Render one part's letters to a file; the part that completes the set starts the merge."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    try:
        meeting = Meeting.objects.select_related("working_group__municipality").get(pk=job.params["meeting_id"])
        ids = part_ids(job, index)
        by_id = Contact.objects.select_related("site").in_bulk(ids)
        contacts = [by_id[pk] for pk in ids if pk in by_id and by_id[pk].erased_at is None]
        if contacts:
            data = invitation_letters_pdf(meeting, contacts)
            name = _part_name(job_id, index)
            private_storage.delete(name)
            private_storage.save(name, ContentFile(data))
    except Exception as exc:  # the job page says what went wrong instead of waiting forever
        logger.exception("Letter part %s of job %s failed", index, job_id)
        _fail(job_id, f"{type(exc).__name__}: {exc}")
        raise
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().get(pk=job_id)
        if index in job.parts_done:
            return  # this part ran before: count it once
        job.parts_done = sorted([*job.parts_done, index])
        job.done = min(job.total, job.done + len(ids))
        if not contacts:
            # Everyone in the part was erased meanwhile: no file, and the merge must know that is right.
            job.params = {**job.params, "empty_parts": sorted({*job.params.get("empty_parts", []), index})}
        job.save(update_fields=["parts_done", "done", "params"])
        last = len(job.parts_done) == job.parts_total
    if last:
        invitation_letters_merge.delay(job_id)


@shared_task(acks_late=True, ignore_result=True)
def invitation_letters_merge(job_id: int) -> None:
    """Join the parts in order into the job's one result PDF."""
    job = BackgroundJob.objects.filter(pk=job_id, state=BackgroundJob.State.RUNNING).first()
    if job is None:
        return
    names = [_part_name(job_id, index) for index in range(job.parts_total)]
    empty = set(job.params.get("empty_parts", []))
    missing = [i for i, name in enumerate(names) if i not in empty and not private_storage.exists(name)]
    if missing:
        # A result without them would look complete: fail, say which letters, keep the parts there are.
        _fail_missing(job, missing)
        return
    try:
        writer = PdfWriter()
        for index, name in enumerate(names):
            if index not in empty:
                with private_storage.open(name, "rb") as part:
                    writer.append(io.BytesIO(part.read()))
        writer.add_metadata({"/Title": str(DOCUMENTS["invitation"].title)})
        out = io.BytesIO()
        writer.write(out)
        filename = f"inbjudningsbrev-{job_id}-{secrets.token_hex(8)}.pdf"
        job.result.save(filename, ContentFile(out.getvalue()), save=False)
        job.state = BackgroundJob.State.DONE
        job.done = job.total
        job.finished_at = timezone.now()
        job.save(update_fields=["result", "state", "done", "finished_at"])
    except Exception as exc:
        logger.exception("Merging letters of job %s failed", job_id)
        _fail(job_id, f"{type(exc).__name__}: {exc}")
        raise
    for name in names:
        private_storage.delete(name)
