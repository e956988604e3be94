"""The meeting's printable documents (handbook annexes and handouts) and the letter batches.

Builders take model instances and return PDF bytes, so views, mail renderers and tasks
share them: ``invitation_letter_pdf``, ``checklist_pdf``, ``attendance_sheet_pdf``,
``minutes_pdf``, ``information_sheet_pdf``, ``decal_pdf``. Each document has a body
template in ``templates/meetings/documents/`` that the PDF layout
(``templates/meetings/pdf/``) and the screen-reader HTML page include alike.

Letters to many recipients are a background job: the contacts are split into parts,
workers render the parts in parallel, and the part that completes the set merges them.
"""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass

from celery import group, shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfWriter

from meetings.checklist import ANNEX_2
from meetings.models import Contact, Meeting
from tif_portal.models import BackgroundJob
from tif_portal.pdf import render_pdf, render_pdf_pages
from tif_portal.storage import private_storage

logger = logging.getLogger(__name__)

DECAL_SIZES = ("a4", "a5", "a6")
# Letters per part of a batch: small enough to spread over the workers, large enough
# that per-task overhead stays small next to rendering.
LETTERS_PER_PART = 25
ATTENDANCE_EMPTY_ROWS = 10
POLICE_NON_EMERGENCY = "114 14"
EMERGENCY = "112"


@dataclass(frozen=True)
class Document:
    """One of the meeting's documents: its slug in URLs, its name and its templates."""

    slug: str
    title: str
    template: str

    @property
    def pdf_template(self) -> str:
        return f"meetings/pdf/{self.template}.html"

    @property
    def body_template(self) -> str:
        return f"meetings/documents/{self.template}_body.html"


DOCUMENTS = {
    "invitation": Document("invitation", _("Inbjudningsbrev"), "invitation_letter"),
    "checklist": Document("checklist", _("Checklista"), "checklist"),
    "attendance": Document("attendance", _("Närvarolista"), "attendance_sheet"),
    "minutes": Document("minutes", _("Minnesanteckningar"), "minutes"),
    "information": Document("information", _("Informationsblad till kollegor"), "information_sheet"),
    "decal": Document("decal", _("Dekal"), "decal"),
}


def _meeting(meeting: Meeting) -> Meeting:
    """The meeting with the relations every document reads, fetched once."""
    if "working_group" not in meeting._state.fields_cache:
        meeting = Meeting.objects.select_related("working_group__municipality__county").get(pk=meeting.pk)
    return meeting


def _instructors(meeting: Meeting):
    return [link.user for link in meeting.instructor_links.select_related("user").order_by("user__name")]


def base_context(meeting: Meeting) -> dict:
    meeting = _meeting(meeting)
    municipality = meeting.working_group.municipality
    return {
        "meeting": meeting,
        "municipality": municipality,
        "logo_url": municipality.logo.url if municipality.logo else "",
        "contact_person": meeting.responsible_person,
        "printed_on": timezone.localdate(),
        "site_url": settings.SITE_URL,
        "knowledge_url": settings.SITE_URL + "/kunskap/",
    }


# Invitation letter (handbook annex 1) -----------------------------------------------


def invitation_default_text(meeting: Meeting) -> str:
    """The wording a letter gets when the coordinator has written none; it names customs only
    when a customs officer instructs at the meeting."""
    customs = meeting.instructor_links.filter(user__agency="customs").exists()
    context = {**base_context(meeting), "customs_take_part": customs}
    return render_to_string("meetings/documents/invitation_default_text.txt", context).strip()


def invitation_paragraphs(meeting: Meeting) -> list[str]:
    """The invitation's text, as the coordinator wrote it (or the standard text), in paragraphs:
    the same words in the letter and in the mail."""
    text = meeting.invitation_text.strip() or invitation_default_text(meeting)
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def invitation_letter_context(meeting: Meeting, contact: Contact | None = None) -> dict:
    context = base_context(meeting)
    context.update({"recipient": contact, "paragraphs": invitation_paragraphs(meeting)})
    if contact is not None:
        context["document_language"] = contact.language
    return context


def invitation_letter_pdf(meeting: Meeting, contact: Contact | None = None) -> bytes:
    """Annex 1: the invitation letter, addressed to ``contact`` (name and workplace) or to no one."""
    return render_pdf(
        DOCUMENTS["invitation"].pdf_template,
        invitation_letter_context(meeting, contact),
        title=str(DOCUMENTS["invitation"].title),
    )


def invitation_letters_pdf(meeting: Meeting, contacts) -> bytes:
    """One letter per contact in one PDF, each letter numbered on its own."""
    meeting = _meeting(meeting)
    shared = invitation_letter_context(meeting)
    contexts = []
    for contact in contacts:
        context = dict(shared, recipient=contact, document_language=contact.language)
        contexts.append(context)
    return render_pdf_pages(
        DOCUMENTS["invitation"].pdf_template, contexts, title=str(DOCUMENTS["invitation"].title)
    )


# Checklist (annex 2), attendance sheet, minutes, information sheet, decal --------------


def checklist_context(meeting: Meeting) -> dict:
    context = base_context(meeting)
    items = {item.key: item for item in meeting.checklist.select_related("done_by")}
    rows = [{"key": key, "label": label, "item": items.pop(key, None)} for key, label in ANNEX_2]
    # Steps kept on the meeting that the template no longer lists still show.
    rows += [{"key": key, "label": item.label, "item": item} for key, item in items.items()]
    context["rows"] = rows
    return context


def checklist_pdf(meeting: Meeting) -> bytes:
    """Annex 2: each step of the checklist, whether it is done, by whom and when."""
    return render_pdf(DOCUMENTS["checklist"].pdf_template, checklist_context(meeting), title=str(DOCUMENTS["checklist"].title))


def attendance_context(meeting: Meeting, empty_rows: int = ATTENDANCE_EMPTY_ROWS) -> dict:
    context = base_context(meeting)
    context["registrations"] = list(
        meeting.registrations.active().select_related("contact__site").order_by("contact__name")
    )
    context["empty_rows"] = range(empty_rows)
    return context


def attendance_sheet_pdf(meeting: Meeting) -> bytes:
    """Registered participants with a signature column, and empty rows for those who just come."""
    return render_pdf(DOCUMENTS["attendance"].pdf_template, attendance_context(meeting), title=str(DOCUMENTS["attendance"].title))


def minutes_context(meeting: Meeting) -> dict:
    context = base_context(meeting)
    registrations = meeting.registrations.active().select_related("contact__site").order_by("contact__name")
    attended = [r for r in registrations if r.checked_in_at]
    context.update(
        {
            "minutes": getattr(meeting, "minutes", None) if _has_minutes(meeting) else None,
            # Before attendance is taken the list shows who registered, and says so.
            "attendees": attended or list(registrations),
            "attendance_taken": bool(attended),
            "instructors": _instructors(meeting),
        }
    )
    return context


def _has_minutes(meeting: Meeting) -> bool:
    from meetings.models import Minutes

    try:
        return meeting.minutes is not None
    except Minutes.DoesNotExist:
        return False


def minutes_pdf(meeting: Meeting) -> bytes:
    """The meeting's minutes: attendees, instructors and the text."""
    return render_pdf(DOCUMENTS["minutes"].pdf_template, minutes_context(meeting), title=str(DOCUMENTS["minutes"].title))


def information_context(meeting: Meeting) -> dict:
    context = base_context(meeting)
    context.update({"police_number": POLICE_NON_EMERGENCY, "emergency_number": EMERGENCY})
    return context


def information_sheet_pdf(meeting: Meeting) -> bytes:
    """For colleagues who could not come: the method, when and how to contact police and customs."""
    return render_pdf(
        DOCUMENTS["information"].pdf_template, information_context(meeting), title=str(DOCUMENTS["information"].title)
    )


def decal_context(size: str) -> dict:
    if size not in DECAL_SIZES:
        raise ValueError(f"Decal size must be one of {DECAL_SIZES}, not {size!r}")
    return {"size": size, "size_label": size.upper(), "knowledge_url": settings.SITE_URL + "/kunskap/"}


def decal_pdf(size: str = "a5") -> bytes:
    """The decal "Vi samarbetar mot illegala försändelser" on one page of A4, A5 or A6."""
    return render_pdf(DOCUMENTS["decal"].pdf_template, decal_context(size), title=str(DOCUMENTS["decal"].title))


# The coordinator's wording and the municipality's logo --------------------------------


@transaction.atomic
def invitation_text_set(*, meeting: Meeting, text: str) -> None:
    """Keep the coordinator's wording; the default text is not stored, so it can improve later."""
    text = text.strip()
    if text.replace("\r\n", "\n") == invitation_default_text(meeting):
        text = ""
    meeting.invitation_text = text
    meeting.save(update_fields=["invitation_text", "updated_at"])


_LOGO_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}


@transaction.atomic
def municipality_logo_replace(*, municipality, upload, image_format: str) -> None:
    """Store a checked image as the municipality's logo; the old file goes once this commits."""
    old = municipality.logo.name
    name = f"{municipality.code}-{secrets.token_hex(6)}{_LOGO_EXTENSIONS[image_format]}"
    municipality.logo.save(name, upload, save=False)
    municipality.save(update_fields=["logo"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))


# Letters to many recipients: a background job ----------------------------------------


def invitation_letter_recipients(meeting: Meeting):
    """Everyone invited to the meeting who can still be written to."""
    return (
        Contact.objects.filter(invitations__meeting=meeting, erased_at__isnull=True)
        .select_related("site")
        .order_by("site__name", "name", "pk")
    )


@transaction.atomic
def invitation_letters_start(*, meeting: Meeting, contacts, started_by) -> BackgroundJob:
    """Queue a job that renders one letter per contact into one PDF; returns the job to follow."""
    meeting = _meeting(meeting)
    contact_ids = [c.pk for c in contacts]
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS,
        params={"meeting_id": meeting.pk, "contact_ids": contact_ids},
        municipality=meeting.working_group.municipality,
        created_by=started_by,
        total=len(contact_ids),
    )
    transaction.on_commit(lambda: invitation_letters_run.delay(job.pk))
    return job


def _part_ids(job: BackgroundJob, index: int) -> list[int]:
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


@transaction.atomic
def invitation_letters_retry(*, job: BackgroundJob) -> BackgroundJob:
    """Run a failed letter job again: the parts that are missing or never finished are
    rendered anew, the ones already on file are kept, and the merge follows."""
    job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if job.state != BackgroundJob.State.FAILED:
        return job
    missing = set(job.params.get("missing_parts", []))
    job.parts_done = [index for index in job.parts_done if index not in missing]
    job.params = {
        **{key: value for key, value in job.params.items() if key not in ("missing_parts", "empty_parts")},
        "empty_parts": [i for i in job.params.get("empty_parts", []) if i in job.parts_done],
    }
    job.done = min(job.total, sum(len(_part_ids(job, index)) for index in job.parts_done))
    job.state = BackgroundJob.State.RUNNING if job.parts_total else BackgroundJob.State.QUEUED
    job.error = ""
    job.finished_at = None
    job.save(update_fields=["parts_done", "params", "done", "state", "error", "finished_at"])
    job_id, todo = job.pk, [i for i in range(job.parts_total) if i not in job.parts_done]
    if not job.parts_total:
        transaction.on_commit(lambda: invitation_letters_run.delay(job_id))
    elif todo:
        transaction.on_commit(lambda: group(invitation_letters_part.si(job_id, i) for i in todo).apply_async())
    else:
        transaction.on_commit(lambda: invitation_letters_merge.delay(job_id))
    return job


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
        ids = _part_ids(job, index)
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
