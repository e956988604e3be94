"""The recipient chooser for a meeting's invitations, and sending them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from meetings import outreach
from meetings.access import managed_meeting
from meetings.models import Invitation, Meeting, Site

PAGE_SIZE = 50


class RecipientFilterForm(forms.Form):
    PARTICIPATION = [
        ("any", gettext_lazy("Alla")),
        ("attended", gettext_lazy("Har deltagit i ett tidigare möte")),
        ("never", gettext_lazy("Har aldrig deltagit")),
    ]

    municipality = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Kommun"), required=False,
                                          empty_label=gettext_lazy("Alla kommuner i länet"))
    company = forms.ChoiceField(label=gettext_lazy("Företag"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Typ av arbetsplats"), required=False,
                             choices=[("", gettext_lazy("Alla typer")), *Site.Kind.choices])
    participation = forms.ChoiceField(label=gettext_lazy("Tidigare deltagande"), choices=PARTICIPATION,
                                      required=False, initial="any")

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = outreach.chooser_municipalities(meeting=meeting, user=user)
        companies = (
            Site.objects.visible_to(user)
            .filter(municipality__county_id=meeting.working_group.municipality.county_id)
            .order_by("company").values_list("company", flat=True).distinct()
        )
        self.fields["company"].choices = [("", _("Alla företag")), *((c, c) for c in companies)]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "municipality": data.get("municipality"),
            "company": data.get("company") or "",
            "kind": data.get("kind") or "",
            "participation": data.get("participation") or "any",
        }


def _filter_form(request, meeting, data):
    if not data:
        data = {"municipality": meeting.working_group.municipality_id, "participation": "any"}
    return RecipientFilterForm(data, meeting=meeting, user=request.user)


@login_required
def invitation_chooser(request, pk):
    meeting = managed_meeting(request.user, pk)
    form = _filter_form(request, meeting, request.GET.copy() if "participation" in request.GET else None)
    recipients = page = None
    total = new = 0
    if form.is_valid():
        recipients = outreach.invitation_recipients(meeting=meeting, user=request.user, **form.filters())
        total = recipients.count()
        new = recipients.exclude(invitations__meeting=meeting).count()
        paginator = Paginator(recipients, PAGE_SIZE)
        paginator.count = total  # counted above already
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "meetings/invitation_chooser.html", {
        "meeting": meeting, "form": form, "page": page, "total": total, "new": new,
        "query": query.urlencode(), "invited": recipients is not None and total - new,
    })


@login_required
@require_POST
def invitation_send(request, pk):
    meeting = managed_meeting(request.user, pk)
    form = _filter_form(request, meeting, request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj mottagare igen. (Choose the recipients again.)"))
        return redirect("meetings:invitation_chooser", meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, _("Mötet är inställt. (The meeting is cancelled.)"))
        return redirect(meeting)
    recipients = outreach.invitation_recipients(meeting=meeting, user=request.user, **form.filters())
    batch = outreach.invitations_send(
        meeting=meeting, contacts=recipients.exclude(invitations__meeting=meeting), sent_by=request.user
    )
    count = outreach.outbox.progress(batch)["total"]
    if count:
        messages.success(request, ngettext("%(count)d inbjudan skickas.", "%(count)d inbjudningar skickas.", count) % {"count": count})
    else:
        messages.info(request, _("Alla valda mottagare har redan fått en inbjudan."))
    return redirect("meetings:batch_progress", meeting.pk, batch)


def _back(request, meeting):
    """Back to the page the button was on: the contact's page or the meeting's outbox."""
    target = request.POST.get("next", "")
    return redirect(target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else
                    reverse("meetings:meeting_outbox", args=[meeting.pk]))


@login_required
@require_POST
def invitation_resend(request, pk, invitation_pk):
    meeting = managed_meeting(request.user, pk)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).filter(meeting=meeting).select_related("contact", "meeting"),
        pk=invitation_pk,
    )
    try:
        outreach.invitation_resend(invitation=invitation)
    except outreach.InvitationNotResent as reason:
        messages.info(request, str(reason))
    else:
        messages.success(request, _("Inbjudan skickas igen till %(email)s.") % {"email": invitation.contact.email})
    return _back(request, meeting)


@login_required
@require_POST
def failed_invitations_resend(request, pk):
    meeting = managed_meeting(request.user, pk)
    count = outreach.failed_invitations_resend(meeting=meeting)
    messages.success(request, ngettext(
        "%(count)d inbjudan skickas igen.", "%(count)d inbjudningar skickas igen.", count) % {"count": count})
    return _back(request, meeting)
