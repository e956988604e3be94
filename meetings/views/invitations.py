"""The recipient chooser for a meeting's invitations, and sending them."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from meetings.access import managed_meeting
from meetings.models import Invitation, Meeting, Site
from meetings.services import outreach

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


MAX_TOGGLED = 5000


@dataclass(frozen=True)
class Selection:
    """Who in the filtered list is ticked, kept in the form and the address (no JavaScript):
    everyone but ``toggled`` (mode "all", the start) or no one but ``toggled`` (mode "none")."""

    mode: str = "all"
    toggled: frozenset = frozenset()

    @classmethod
    def from_data(cls, data) -> "Selection":
        mode = data.get("mode") if data.get("mode") in ("all", "none") else "all"
        ids = {int(v) for v in data.get("toggled", "").split(",") if v.strip().isdigit()}
        return cls(mode, frozenset(sorted(ids)[:MAX_TOGGLED]))

    def after_ticks(self, data) -> "Selection":
        """The selection once the boxes on the page just sent are taken into account."""
        shown = {int(v) for v in data.getlist("shown") if v.isdigit()}
        chosen = {int(v) for v in data.getlist("chosen") if v.isdigit()} & shown
        toggled = (set(self.toggled) - shown) | ((shown - chosen) if self.mode == "all" else chosen)
        return Selection(self.mode, frozenset(sorted(toggled)[:MAX_TOGGLED]))

    def ticked(self, pk: int) -> bool:
        return (pk in self.toggled) != (self.mode == "all")

    def apply(self, contacts):
        if self.mode == "all":
            return contacts.exclude(pk__in=self.toggled)
        return contacts.filter(pk__in=self.toggled)

    def as_query(self) -> dict:
        return {"mode": self.mode, "toggled": ",".join(str(pk) for pk in sorted(self.toggled))}


def late_warning(meeting: Meeting) -> str:
    """Why sending now may be pointless, or "": the meeting has begun or registration has closed."""
    if meeting.has_started:
        return _("Mötet har redan börjat eller är redan över. De som bjuds in nu kan inte anmäla sig.")
    if meeting.registration_deadline and meeting.registration_deadline < timezone.now():
        return _("Sista anmälningsdag, %(deadline)s, har passerat. De som bjuds in nu kan inte anmäla sig via länken.") % {
            "deadline": date_format(timezone.localtime(meeting.registration_deadline), "j F Y H:i")
        }
    return ""


def _chooser_url(meeting, form, selection: Selection, page: str = "") -> str:
    """The chooser showing ``form``'s filters with ``selection`` ticked (on ``page``)."""
    query = QueryDict(mutable=True)
    if form is not None:
        for name, value in form.filters().items():
            query[name] = "" if value is None else getattr(value, "pk", value)
    query.update(selection.as_query())
    if page:
        query["page"] = page
    return f"{reverse('meetings:invitation_chooser', args=[meeting.pk])}?{query.urlencode()}"


@login_required
@require_http_methods(["GET", "POST"])
def invitation_chooser(request, pk):
    meeting = managed_meeting(request.user, pk)
    if request.method == "POST":
        # A page change or a tick update from the list: keep the ticks, then show the page asked for.
        form = _filter_form(request, meeting, request.POST)
        selection = Selection.from_data(request.POST).after_ticks(request.POST)
        if request.POST.get("select") in ("all", "none"):
            selection = Selection(request.POST["select"])
        page = request.POST.get("page", "")
        return redirect(_chooser_url(meeting, form if form.is_valid() else None, selection, page if page.isdigit() else ""))
    form = _filter_form(request, meeting, request.GET.copy() if "participation" in request.GET else None)
    selection = Selection.from_data(request.GET)
    recipients = page = None
    total = new = chosen = 0
    if form.is_valid():
        recipients = outreach.invitation_recipients(meeting=meeting, user=request.user, **form.filters())
        total = recipients.count()
        not_invited = recipients.filter(invited=False)
        new = not_invited.count()
        chosen = selection.apply(not_invited).count()
        paginator = Paginator(recipients, PAGE_SIZE)
        paginator.count = total  # counted above already
        page = paginator.get_page(request.GET.get("page"))
        for contact in page:
            contact.ticked = not contact.invited and selection.ticked(contact.pk)
    return render(request, "meetings/invitation_chooser.html", {
        "meeting": meeting, "form": form, "page": page, "total": total, "new": new, "chosen": chosen,
        "invited": recipients is not None and total - new, "selection": selection,
        "toggled": selection.as_query()["toggled"], "late": late_warning(meeting),
    })


@login_required
@require_POST
def invitation_send(request, pk):
    meeting = managed_meeting(request.user, pk)
    form = _filter_form(request, meeting, request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj mottagare igen."))
        return redirect("meetings:invitation_chooser", meeting.pk)
    selection = Selection.from_data(request.POST).after_ticks(request.POST)
    late = late_warning(meeting)
    if late and not request.POST.get("confirm_late"):
        messages.error(request, _("%(warning)s Kryssa i att du vill skicka ändå.") % {"warning": late})
        return redirect(_chooser_url(meeting, form, selection))
    recipients = outreach.invitation_recipients(meeting=meeting, user=request.user, **form.filters())
    try:
        batch = outreach.invitations_send(
            meeting=meeting, contacts=selection.apply(recipients.filter(invited=False)), sent_by=request.user
        )
    except outreach.InvitationsNotSent as reason:
        messages.error(request, str(reason))
        return redirect(meeting)
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
