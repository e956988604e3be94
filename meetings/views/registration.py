"""Registration by the personal link in an invitation: no account, the token is the key."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from meetings import outreach
from meetings.models import Invitation, Registration

MAX_PEOPLE = 10


class PersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False,
                             error_messages={"invalid": gettext_lazy("Ange en giltig e-postadress. (Enter a valid e-mail address.)")})
    dietary_needs = forms.CharField(label=gettext_lazy("Kostönskemål (valfritt)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Ange personens e-postadress. (Enter the person's e-mail address.)"))
        if data.get("email") and not data.get("name"):
            self.add_error("name", _("Ange personens namn. (Enter the person's name.)"))
        return data


PeopleFormSet = forms.formset_factory(PersonForm, extra=0, min_num=3, max_num=MAX_PEOPLE)


class ConsentForm(forms.Form):
    join_network = forms.BooleanField(
        label=gettext_lazy("Vi vill vara med i det lokala nätverket och få information från arbetsgruppen via e-post"),
        required=False,
    )


class ChangeForm(forms.Form):
    dietary_needs = forms.CharField(label=gettext_lazy("Kostönskemål (valfritt)"), max_length=200, required=False)


@require_http_methods(["GET", "POST"])
def register(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting__working_group__municipality", "contact__site"), token=token
    )
    meeting = invitation.meeting
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())
    closed = outreach.registration_open_error(meeting)
    initial = [{"name": invitation.contact.name, "email": invitation.contact.email}]
    formset = PeopleFormSet(request.POST or None, initial=initial, prefix="people")
    consent = ConsentForm(request.POST or None)
    registrations = list(
        Registration.objects.filter(meeting=meeting, contact__site=invitation.contact.site)
        .active().select_related("contact")
    )
    if request.method == "POST" and not closed and formset.is_valid() and consent.is_valid():
        people = [f.cleaned_data for f in formset if f.cleaned_data.get("email")]
        if not people:
            formset._non_form_errors = formset.error_class(
                [_("Fyll i namn och e-post för minst en person. (Enter a name and e-mail for at least one person.)")]
            )
        else:
            try:
                outreach.registrations_create(
                    invitation=invitation, people=people, join_network=consent.cleaned_data["join_network"]
                )
            except outreach.RegistrationClosed as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Tack! Anmälan är registrerad och en bekräftelse skickas via e-post."))
                return redirect("meetings:registration", token)
    return render(request, "meetings/registration_form.html", {
        "invitation": invitation, "meeting": meeting, "formset": formset, "consent": consent,
        "closed": closed, "registrations": registrations,
    })


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
