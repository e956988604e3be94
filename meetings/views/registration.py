"""Registration by the personal link in an invitation: no account, the token is the key."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from followup.forms import BaselineSurveyForm
from followup.services import survey_baseline_record
from meetings.models import Invitation, Registration, WaitingListEntry
from meetings.services import outreach

MAX_PEOPLE = 10


class PersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False,
                             error_messages={"invalid": gettext_lazy("Ange en giltig e-postadress.")})
    dietary_needs = forms.CharField(label=gettext_lazy("Kostönskemål (valfritt)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Ange personens e-postadress."))
        if data.get("email") and not data.get("name"):
            self.add_error("name", _("Ange personens namn."))
        return data


PeopleFormSet = forms.formset_factory(PersonForm, extra=0, min_num=3, max_num=MAX_PEOPLE)


class ConsentForm(forms.Form):
    join_network = forms.BooleanField(
        label=gettext_lazy("Vi vill vara med i det lokala nätverket och få information från arbetsgruppen via e-post"),
        required=False,
    )


class ChangeForm(forms.Form):
    dietary_needs = forms.CharField(label=gettext_lazy("Kostönskemål (valfritt)"), max_length=200, required=False)


class PersonEditForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=150,
                           error_messages={"required": gettext_lazy("Ange personens namn.")})
    email = forms.EmailField(label=gettext_lazy("E-post"), error_messages={
        "required": gettext_lazy("Ange personens e-postadress."),
        "invalid": gettext_lazy("Ange en giltig e-postadress, t.ex. namn@foretag.se."),
    })
    dietary_needs = forms.CharField(label=gettext_lazy("Kostönskemål"), max_length=200, required=False,
                                    help_text=gettext_lazy("Lämna tomt om personen inte har några."))


def _invitation(token) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related(
            "meeting__working_group__municipality", "meeting__contact_person", "meeting__created_by", "contact__site"
        ),
        token=token,
    )


def _workplace_registrations(invitation):
    """The active registrations of the invited contact's workplace: all that the link may show or change."""
    return (
        Registration.objects.filter(meeting=invitation.meeting_id, contact__site=invitation.contact.site_id)
        .active()
        .select_related("contact")
        .order_by("contact__name", "pk")
    )


def _workplace_waiting(invitation):
    return (
        WaitingListEntry.objects.waiting()
        .filter(meeting=invitation.meeting_id, contact__site=invitation.contact.site_id)
        .select_related("contact")
    )


def _page_context(invitation) -> dict:
    meeting = invitation.meeting
    waiting = list(_workplace_waiting(invitation))
    if waiting:
        queue = list(WaitingListEntry.objects.waiting().filter(meeting=meeting).values_list("pk", flat=True))
        for entry in waiting:
            entry.position = queue.index(entry.pk) + 1
    return {
        "invitation": invitation,
        "meeting": meeting,
        "registrations": list(_workplace_registrations(invitation)),
        "waiting": waiting,
        "contact_person": meeting.contact_person or meeting.created_by,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, token):
    invitation = _invitation(token)
    meeting = invitation.meeting
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())
    closed = outreach.registration_open_error(meeting)
    context = _page_context(invitation)
    registered = {r.contact_id for r in context["registrations"]}
    initial = [] if invitation.contact_id in registered else [
        {"name": invitation.contact.name, "email": invitation.contact.email}
    ]
    formset = PeopleFormSet(request.POST or None, initial=initial, prefix="people")
    consent = ConsentForm(request.POST or None)
    # The survey's "before", asked of the invited person the first time they register.
    baseline = BaselineSurveyForm(request.POST or None) if invitation.contact_id not in registered else None
    seats_left = outreach.seats_left(meeting)
    offer_waiting_list = seats_left == 0
    if (
        request.method == "POST" and not closed and formset.is_valid() and consent.is_valid()
        and (baseline is None or baseline.is_valid())
    ):
        people = [f.cleaned_data for f in formset if f.cleaned_data.get("email")]
        if not people:
            formset._non_form_errors = formset.error_class(
                [_("Fyll i namn och e-post för minst en person.")]
            )
        else:
            try:
                result = outreach.registrations_create(
                    invitation=invitation, people=people, join_network=consent.cleaned_data["join_network"],
                    waiting_list="waiting_list" in request.POST,
                )
            except outreach.RegistrationClosed as exc:
                messages.error(request, str(exc))
                offer_waiting_list = meeting.capacity is not None
            else:
                if baseline is not None and baseline.answers():
                    # Stored with the meeting only: nothing ties the answer to the registration.
                    survey_baseline_record(meeting=meeting, **baseline.answers())
                _say_what_happened(request, result)
                return redirect("meetings:registration", token)
    return render(request, "meetings/registration_form.html", {
        **context, "formset": formset, "consent": consent, "closed": closed, "baseline": baseline,
        "seats_left": seats_left, "offer_waiting_list": offer_waiting_list,
    })


def _say_what_happened(request, result) -> None:
    if result.registrations:
        messages.success(request, ngettext(
            "Tack! %(count)d person är anmäld och får en bekräftelse via e-post.",
            "Tack! %(count)d personer är anmälda och får var sin bekräftelse via e-post.",
            len(result.registrations),
        ) % {"count": len(result.registrations)})
    if result.updated:
        messages.info(request, _("Redan anmälda: %(names)s. Uppgifterna är uppdaterade; ingen ny bekräftelse skickas.") % {
            "names": ", ".join(r.contact.name for r in result.updated)
        })
    if result.waiting:
        messages.info(request, ngettext(
            "%(count)d person står på väntelistan och får ett mejl om en plats blir ledig.",
            "%(count)d personer står på väntelistan och får ett mejl om en plats blir ledig.",
            len(result.waiting),
        ) % {"count": len(result.waiting)})


@never_cache
@require_http_methods(["GET", "POST"])
def registration_person(request, token, pk):
    """Change one registered person's name, e-mail or dietary needs from the workplace's link."""
    invitation = _invitation(token)
    registration = get_object_or_404(_workplace_registrations(invitation), pk=pk)
    closed = outreach.registration_open_error(invitation.meeting, started_only=True)
    form = PersonEditForm(request.POST or None, initial={
        "name": registration.contact.name, "email": registration.contact.email,
        "dietary_needs": registration.dietary_needs,
    })
    if request.method == "POST" and not closed and form.is_valid():
        try:
            outreach.registration_person_update(registration=registration, **form.cleaned_data)
        except outreach.RegistrationConflict as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("Ändringen för %(name)s är sparad.") % {"name": form.cleaned_data["name"]})
            return redirect("meetings:registration", token)
    return render(request, "meetings/registration_person.html", {
        "invitation": invitation, "meeting": invitation.meeting, "registration": registration, "form": form,
        "closed": closed,
    })


@never_cache
@require_http_methods(["GET", "POST"])
def registration_person_cancel(request, token, pk):
    """Ask first, then cancel one person's seat; the first on the waiting list gets it."""
    invitation = _invitation(token)
    registration = get_object_or_404(_workplace_registrations(invitation), pk=pk)
    if request.method == "POST":
        outreach.registration_cancel(registration=registration)
        messages.success(request, _("Anmälan för %(name)s är avbokad. En bekräftelse skickas via e-post.") % {
            "name": registration.contact.name
        })
        return redirect("meetings:registration", token)
    return render(request, "meetings/registration_confirm.html", {
        "invitation": invitation, "meeting": invitation.meeting, "person": registration.contact,
        "kind": "cancel", "waiting_count": WaitingListEntry.objects.waiting().filter(meeting=invitation.meeting).count(),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def waiting_list_leave(request, token, pk):
    """Ask first, then take one person of the workplace off the waiting list."""
    invitation = _invitation(token)
    entry = get_object_or_404(_workplace_waiting(invitation), pk=pk)
    if request.method == "POST":
        outreach.waiting_list_withdraw(entry=entry)
        messages.success(request, _("%(name)s står inte längre på väntelistan.") % {"name": entry.contact.name})
        return redirect("meetings:registration", token)
    return render(request, "meetings/registration_confirm.html", {
        "invitation": invitation, "meeting": invitation.meeting, "person": entry.contact, "kind": "waiting",
    })


@never_cache
@require_http_methods(["GET", "POST"])
def registration_change(request, token):
    registration = get_object_or_404(
        Registration.objects.select_related("meeting__working_group__municipality", "contact__site"), token=token
    )
    form = ChangeForm(request.POST or None, initial={"dietary_needs": registration.dietary_needs})
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            outreach.registration_cancel(registration=registration)
            messages.success(request, _("Din anmälan är avbokad."))
            return redirect("meetings:registration_change", token)
        if form.is_valid():
            outreach.registration_change(registration=registration, dietary_needs=form.cleaned_data["dietary_needs"])
            messages.success(request, _("Ändringen är sparad."))
            return redirect("meetings:registration_change", token)
    return render(request, "meetings/registration_change.html", {
        "registration": registration, "meeting": registration.meeting, "form": form,
        "cancelled": registration.status == Registration.Status.CANCELLED,
    })
