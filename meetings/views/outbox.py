"""What happened to a meeting's mail: a batch's progress and every recipient's delivery state."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from meetings.access import managed_meeting
from meetings.services import outreach
from tif_portal import outbox
from tif_portal.models import OutboundEmail

PAGE_SIZE = 50
REFRESH_SECONDS = 3


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
    """A page that reloads itself (no script needed) until every mail in the batch is done."""
    meeting = managed_meeting(request.user, pk)
    progress = outbox.progress(batch)
    page, state = _state_page(request, outreach.meeting_outbox(meeting).filter(batch=batch))
    response = render(request, "meetings/outbox_progress.html", {
        "meeting": meeting, "batch": batch, "progress": progress, "bar": 5 * round(progress["percent"] / 5), "page": page, "state": state,
        "states": OutboundEmail.State.choices, "refresh": REFRESH_SECONDS if not progress["finished"] else None,
    })
    if not progress["finished"]:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
