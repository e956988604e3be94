"""The local network: news from the working group, and leaving with one click."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from meetings.models import Contact
from meetings.services.network import leaving_consequences, network_leave, network_members, network_news_send
from municipalities.models import WorkingGroup
from tif_portal import outbox
from tif_portal.models import OutboundEmail
from tif_portal.progress import outbox_progress, progress_context, progress_json

PAGE_SIZE = 50


class NewsForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Ämne"), max_length=200)
    text = forms.CharField(label=gettext_lazy("Meddelande"), widget=forms.Textarea(attrs={"rows": 12}))


def _managed_group(request, pk) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage:
        raise PermissionDenied
    return group


@login_required
def network_news(request, pk):
    group = _managed_group(request, pk)
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = network_news_send(working_group=group, sent_by=request.user, **form.cleaned_data)
        messages.success(request, _("Meddelandet skickas till nätverket."))
        return redirect("meetings:network_progress", group.pk, batch)
    return render(request, "meetings/network_news_form.html", {
        "group": group, "form": form, "member_count": network_members(group).count(),
    })


@login_required
def network_progress(request, pk, batch):
    group = _managed_group(request, pk)
    emails = OutboundEmail.objects.visible_to(request.user).filter(batch=batch, purpose="network").only(
        "to", "purpose", "state", "attempts", "last_error", "sent_at", "created_at"
    )
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/network_progress.html", {
        "group": group, "batch": batch, "page": page,
        **progress_context(
            **outbox_progress(outbox.progress(batch)), label=_("Utskick"),
            status_url=reverse("meetings:network_status", args=[group.pk, batch]),
        ),
    })


@login_required
def network_status(request, pk, batch):
    """The network mail page's progress as JSON, for its script."""
    _managed_group(request, pk)
    return progress_json(request, **outbox_progress(outbox.progress(batch)))


@never_cache
@csrf_exempt  # mail programs post the one-click unsubscribe (RFC 8058) without a form; the token is the key
@require_http_methods(["GET", "POST"])
def network_leave_view(request, token):
    contact = get_object_or_404(Contact.objects.select_related("site__municipality"), token=token)
    if request.method == "POST":
        network_leave(contact=contact)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Du har lämnat nätverket."), content_type="text/plain; charset=utf-8")
        messages.success(request, _("Du har lämnat nätverket och får inga fler utskick från det."))
        return redirect("meetings:network_leave", token)
    left = contact.left_network_at is not None
    return render(request, "meetings/network_leave.html", {
        "contact": contact, "left": left, "consequences": [] if left else leaving_consequences([contact]),
    })
