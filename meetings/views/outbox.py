"""What happened to a meeting's mail: a batch's progress and every recipient's delivery state."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.access import managed_meeting
from meetings.services import outreach
from tif_portal import outbox
from tif_portal.models import OutboundEmail
from tif_portal.progress import outbox_progress, progress_context, progress_json

PAGE_SIZE = 50


def _state_page(request, emails):
    state = request.GET.get("state", "")
    if state in OutboundEmail.State.values:
        emails = emails.filter(state=state)
    page = Paginator(
        emails.only("to", "purpose", "state", "attempts", "last_error", "sent_at", "created_at", "params"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return page, state


@login_required
def meeting_outbox(request, pk):
    meeting = managed_meeting(request.user, pk)
    page, state = _state_page(request, outreach.meeting_outbox(meeting))
    return render(request, "meetings/outbox_list.html", {
        "meeting": meeting, "page": page, "state": state, "states": OutboundEmail.State.choices,
        "failed_invitations": outreach.failed_invitations(meeting).count(),
    })


@login_required
def batch_progress(request, pk, batch):
    """How far a batch of the meeting's mail has come, and each recipient's state."""
    meeting = managed_meeting(request.user, pk)
    page, state = _state_page(request, outreach.meeting_outbox(meeting).filter(batch=batch))
    return render(request, "meetings/outbox_progress.html", {
        "meeting": meeting, "batch": batch, "page": page, "state": state, "states": OutboundEmail.State.choices,
        **progress_context(
            **outbox_progress(outbox.progress(batch)), label=_("Utskick"),
            status_url=reverse("meetings:batch_status", args=[meeting.pk, batch]),
        ),
    })


@login_required
def batch_status(request, pk, batch):
    """The batch page's progress as JSON, for its script."""
    managed_meeting(request.user, pk)
    return progress_json(request, **outbox_progress(outbox.progress(batch)))
