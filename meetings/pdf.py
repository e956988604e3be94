"""The meeting's printable documents (handbook annexes and handouts).

Builders take model instances and return PDF bytes, so views, mail renderers and tasks
share them: ``invitation_letter_pdf``, ``checklist_pdf``, ``attendance_sheet_pdf``,
``minutes_pdf``, ``information_sheet_pdf``, ``decal_pdf``. Each document has a body
template in ``templates/meetings/documents/`` that the PDF layout
(``templates/meetings/pdf/``) and the screen-reader HTML page include alike.

Letters to many recipients are a background job: ``meetings.services.letters`` starts
it and ``meetings.tasks`` renders its parts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.checklist import ANNEX_2
from meetings.models import Contact, Meeting
from tif_portal.links import absolute_url
from tif_portal.pdf import render_pdf, render_pdf_pages

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
    """One of the meeting's documents: its slug, its name, its templates, its two URLs
    (``meetings:<template>_pdf`` and ``_html``) and, for the documents made from the meeting
    alone, its context and PDF builders."""

    slug: str
    title: str
    template: str
    context: Callable[[Meeting], dict] | None = None
    pdf: Callable[[Meeting], bytes] | None = None
    # The decal's URLs take a size instead of only the meeting.
    sizes: tuple[str, ...] = ()

    @property
    def pdf_template(self) -> str:
        return f"meetings/pdf/{self.template}.html"

    @property
    def body_template(self) -> str:
        return f"meetings/documents/{self.template}_body.html"

    def pdf_url(self, meeting: Meeting, *args) -> str:
        return reverse(f"meetings:{self.template}_pdf", args=[meeting.pk, *args])

    def html_url(self, meeting: Meeting, *args) -> str:
        return reverse(f"meetings:{self.template}_html", args=[meeting.pk, *args])

    def render(self, context: dict) -> bytes:
        return render_pdf(self.pdf_template, context, title=str(self.title))


def base_meeting(meeting: Meeting) -> Meeting:
    """The meeting with the relations every document reads, fetched once."""
    if not Meeting.working_group.is_cached(meeting):
        meeting = Meeting.objects.select_related("working_group__municipality__county").get(pk=meeting.pk)
    return meeting


def _instructors(meeting: Meeting):
    return [link.user for link in meeting.instructor_links.select_related("user").order_by("user__name")]


def base_context(meeting: Meeting) -> dict:
    meeting = base_meeting(meeting)
    municipality = meeting.working_group.municipality
    return {
        "meeting": meeting,
        "municipality": municipality,
        "logo_url": municipality.logo.url if municipality.logo else "",
        "contact_person": meeting.responsible_person,
        "printed_on": timezone.localdate(),
        "site_url": settings.SITE_URL,
        "knowledge_url": absolute_url("/kunskap/"),
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
    return DOCUMENTS["invitation"].render(invitation_letter_context(meeting, contact))


def invitation_letters_pdf(meeting: Meeting, contacts) -> bytes:
    """One letter per contact in one PDF, each letter numbered on its own."""
    meeting = base_meeting(meeting)
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
    return DOCUMENTS["checklist"].render(checklist_context(meeting))


def attendance_context(meeting: Meeting, empty_rows: int = ATTENDANCE_EMPTY_ROWS) -> dict:
    context = base_context(meeting)
    context["registrations"] = list(
        meeting.registrations.active().select_related("contact__site").order_by("contact__name")
    )
    context["empty_rows"] = range(empty_rows)
    return context


def attendance_sheet_pdf(meeting: Meeting) -> bytes:
    """Registered participants with a signature column, and empty rows for those who just come."""
    return DOCUMENTS["attendance"].render(attendance_context(meeting))


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
    return DOCUMENTS["minutes"].render(minutes_context(meeting))


def information_context(meeting: Meeting) -> dict:
    context = base_context(meeting)
    context.update({"police_number": POLICE_NON_EMERGENCY, "emergency_number": EMERGENCY})
    return context


def information_sheet_pdf(meeting: Meeting) -> bytes:
    """For colleagues who could not come: the method, when and how to contact police and customs."""
    return DOCUMENTS["information"].render(information_context(meeting))


def decal_context(size: str) -> dict:
    if size not in DECAL_SIZES:
        raise ValueError(f"Decal size must be one of {DECAL_SIZES}, not {size!r}")
    return {"size": size, "size_label": size.upper(), "knowledge_url": absolute_url("/kunskap/")}


def decal_pdf(size: str = "a5") -> bytes:
    """The decal "Vi samarbetar mot illegala försändelser" on one page of A4, A5 or A6."""
    return DOCUMENTS["decal"].render(decal_context(size))


# The coordinator's wording and the municipality's logo --------------------------------


# Every document, by the slug its views and access rules name it with. Last in the file, as
# it names the builders above.
DOCUMENTS = {
    document.slug: document
    for document in (
        Document("invitation", _("Inbjudningsbrev"), "invitation_letter"),
        Document("checklist", _("Checklista"), "checklist", checklist_context, checklist_pdf),
        Document("attendance", _("Närvarolista"), "attendance_sheet", attendance_context, attendance_sheet_pdf),
        Document("minutes", _("Minnesanteckningar"), "minutes", minutes_context, minutes_pdf),
        Document("information", _("Informationsblad till kollegor"), "information_sheet", information_context,
                 information_sheet_pdf),
        Document("decal", _("Dekal"), "decal", sizes=DECAL_SIZES),
    )
}
