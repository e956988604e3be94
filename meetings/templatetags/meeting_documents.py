"""What the meeting page's documents section needs, so the page's own view stays unaware of it."""

from django import template
from django.urls import reverse

from meetings.documents import DECAL_SIZES, DOCUMENTS
from tif_portal.models import BackgroundJob
from tif_portal.scoping import can_manage

register = template.Library()

# Document slug → URL name prefix: meetings:<prefix>_pdf and meetings:<prefix>_html.
SECTION_DOCUMENTS = [
    ("invitation", "invitation_letter"),
    ("checklist", "checklist"),
    ("attendance", "attendance_sheet"),
    ("minutes", "minutes"),
    ("information", "information_sheet"),
]
RECENT_JOBS = 3


@register.simple_tag(takes_context=True)
def meeting_document_jobs(context, meeting):
    """Links to each document, whether the user may manage, and the meeting's latest letter jobs (one query)."""
    user = context["request"].user
    rows = [
        {
            "title": DOCUMENTS[slug].title,
            "pdf_url": reverse(f"meetings:{name}_pdf", args=[meeting.pk]),
            "html_url": reverse(f"meetings:{name}_html", args=[meeting.pk]),
        }
        for slug, name in SECTION_DOCUMENTS
    ]
    jobs = list(
        BackgroundJob.objects.visible_to(user).filter(
            kind=BackgroundJob.Kind.INVITATION_LETTERS, params__meeting_id=meeting.pk
        )[:RECENT_JOBS]
    )
    return {"rows": rows, "decal_sizes": DECAL_SIZES, "can_manage": can_manage(user), "jobs": jobs}
