"""What the meeting page's documents section needs, so the page's own view stays unaware of it."""

from django import template

from meetings.access import may_manage, may_read_document
from meetings.pdf import DECAL_SIZES, DOCUMENTS
from tif_portal.models import BackgroundJob

register = template.Library()

RECENT_JOBS = 3


@register.simple_tag(takes_context=True)
def meeting_document_jobs(context, meeting):
    """Links to each document the user may read, whether they may manage, and the meeting's
    latest letter jobs (one query)."""
    user = context["request"].user
    manages = may_manage(user, meeting)
    rows = [
        {"title": document.title, "pdf_url": document.pdf_url(meeting), "html_url": document.html_url(meeting)}
        for document in DOCUMENTS.values()
        if not document.sizes and (manages or may_read_document(user, meeting, document.slug))
    ]
    jobs = list(
        BackgroundJob.objects.visible_to(user).filter(
            kind=BackgroundJob.Kind.INVITATION_LETTERS, params__meeting_id=meeting.pk
        )[:RECENT_JOBS]
    ) if manages else []
    return {"rows": rows, "decal_sizes": DECAL_SIZES, "can_manage": manages, "jobs": jobs}
