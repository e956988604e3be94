"""On the day: who came, who walked in, which workplaces got decals; the participant list as CSV."""

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from decals import selectors as decal_selectors
from decals import services as decal_services
from decals.models import DecalIssue, DecalSize
from meetings.access import managed_meeting
from meetings.models import Registration, Site, WaitingListEntry
from meetings.services import outreach
from tif_portal.forms import QuickSelect

# The query parameter of the workplace search on the attendance page.
SITE_SEARCH = "arbetsplats"


SITE_HELP = gettext_lazy("Listan visar deltagarnas arbetsplatser. Sök ovanför för att välja en annan arbetsplats i kommunen.")


def offer_sites(form, meeting, choices) -> None:
    """Any workplace of the municipality is accepted; the list offers ``choices`` (see
    ``outreach.attendance_site_choices``), made once for both forms of the page. Forms made
    for a POST offer nothing: they are shown again only through the page, which passes choices."""
    field = form.fields["site"]
    field.queryset = outreach.attendance_sites(meeting)
    field.widget.choices = [("", field.empty_label or "---------"), *(choices or [])]


class WalkInForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-post"))
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=gettext_lazy("Arbetsplats"), required=False,
                                  empty_label=gettext_lazy("– Ny arbetsplats (fyll i nedan) –"), widget=QuickSelect,
                                  help_text=SITE_HELP)
    new_site_name = forms.CharField(label=gettext_lazy("Ny arbetsplats: namn"), max_length=200, required=False)
    new_site_company = forms.CharField(label=gettext_lazy("Ny arbetsplats: företag"), max_length=100, required=False)
    new_site_kind = forms.ChoiceField(label=gettext_lazy("Ny arbetsplats: typ"), choices=Site.Kind.choices, required=False)
    new_site_street = forms.CharField(label=gettext_lazy("Ny arbetsplats: gatuadress"), max_length=200, required=False)
    new_site_postal_code = forms.CharField(label=gettext_lazy("Ny arbetsplats: postnummer"), max_length=10, required=False)
    join_network = forms.BooleanField(
        label=gettext_lazy("Personen har sagt ja till att vara med i det lokala nätverket och få utskick via e-post"),
        required=False,
        help_text=gettext_lazy("Samtycket sparas med ditt namn och tiden."),
    )

    prefix = "walkin"

    def __init__(self, *args, meeting, site_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        offer_sites(self, meeting, site_choices)
        if meeting.site_id:
            # At a workplace meeting everyone is from the visited site, as a rule.
            self.fields["site"].initial = meeting.site_id

    def clean(self):
        data = super().clean()
        if not data.get("site"):
            for field in ("new_site_name", "new_site_company", "new_site_street", "new_site_postal_code"):
                if not data.get(field):
                    self.add_error(field, _("Välj en arbetsplats eller fyll i den nya."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "name": data["name"], "email": data["email"], "site": data.get("site"),
            "join_network": data.get("join_network", False),
        }
        if not data.get("site"):
            arguments["new_site"] = {
                "name": data["new_site_name"], "company": data["new_site_company"],
                "kind": data.get("new_site_kind") or Site.Kind.AGENT, "street": data["new_site_street"],
                "postal_code": data["new_site_postal_code"], "city": self.meeting.working_group.municipality.name,
            }
        return arguments


class DecalIssueForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=gettext_lazy("Arbetsplats"), widget=QuickSelect,
                                  help_text=SITE_HELP)
    size = forms.ChoiceField(label=gettext_lazy("Storlek"), choices=DecalSize.choices, initial=DecalSize.A5)
    quantity = forms.IntegerField(
        label=gettext_lazy("Antal dekaler"), min_value=1, max_value=50, initial=1,
        error_messages={
            "min_value": gettext_lazy("Ange ett antal mellan 1 och 50."),
            "max_value": gettext_lazy("Ange ett antal mellan 1 och 50."),
        },
    )

    prefix = "decal"

    def __init__(self, *args, meeting, site_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_sites(self, meeting, site_choices)
        if meeting.site_id:
            # At a workplace meeting everyone is from the visited site, as a rule.
            self.fields["site"].initial = meeting.site_id


def attendance_rows(meeting) -> list[dict]:
    """The attendance list as plain rows (one query): a meeting can have hundreds of
    participants, and plain values render several times faster than model instances."""
    rows = (
        Registration.objects.filter(meeting=meeting).active()
        .order_by("contact__site__name", "contact__name")
        .values("pk", "status", "dietary_needs", "checked_in_at", "contact__name", "contact__site__name")
    )
    return [{**row, "id": str(row["pk"]), "walk_in": row["status"] == Registration.Status.WALK_IN} for row in rows]


def _posted_site(form) -> list[int]:
    value = form["site"].value() if form is not None else None
    return [int(value)] if str(value or "").isdigit() else []


def _page(request, meeting, *, walk_in=None, decal=None, status=200):
    search = request.GET.get(SITE_SEARCH, "")[:100]
    choices = outreach.attendance_site_choices(meeting, search, keep=_posted_site(walk_in) + _posted_site(decal))
    for form in (walk_in, decal):
        if form is not None:
            offer_sites(form, meeting, choices)
    registrations = attendance_rows(meeting)
    issues = DecalIssue.objects.filter(meeting=meeting).select_related("site", "recorded_by").order_by("site__name", "recorded_at")
    return render(request, "meetings/attendance.html", {
        "meeting": meeting, "registrations": registrations, "issues": issues,
        "handed_out": decal_selectors.decals_handed_out(meeting),
        "walk_in": walk_in or WalkInForm(meeting=meeting, site_choices=choices),
        "decal": decal or DecalIssueForm(meeting=meeting, site_choices=choices),
        "site_search": search, "site_search_name": SITE_SEARCH,
        # Translated once, not once per row.
        "walk_in_label": _("kom utan anmälan"), "diet_label": _("Kost"),
    }, status=status)


@login_required
def attendance(request, pk):
    meeting = managed_meeting(request.user, pk)
    if request.method == "POST":
        present = [int(value) for value in request.POST.getlist("present") if value.isdigit()]
        count = outreach.attendance_record(meeting=meeting, present=present, recorded_by=request.user)
        messages.success(request, _("Närvaron är sparad: %(count)d närvarande.") % {"count": count})
        return redirect("meetings:attendance", meeting.pk)
    return _page(request, meeting)


@login_required
@require_POST
def walk_in_add(request, pk):
    meeting = managed_meeting(request.user, pk)
    form = WalkInForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _page(request, meeting, walk_in=form, status=400)
    registration = outreach.walk_in_add(meeting=meeting, recorded_by=request.user, **form.service_arguments())
    messages.success(request, _("%(name)s är tillagd som närvarande.") % {"name": registration.contact.name})
    return redirect("meetings:attendance", meeting.pk)


@login_required
@require_POST
def decal_issue(request, pk):
    meeting = managed_meeting(request.user, pk)
    form = DecalIssueForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _page(request, meeting, decal=form, status=400)
    try:
        issue = decal_services.decal_issue_add(meeting=meeting, recorded_by=request.user, **form.cleaned_data)
    except decal_services.OrderError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _page(request, meeting, decal=form, status=400)
    messages.success(request, _("%(quantity)s dekaler i %(size)s till %(site)s är registrerade.") % {
        "quantity": issue.quantity, "size": issue.size, "site": issue.site.name,
    })
    return redirect(f"{reverse('meetings:attendance', args=[meeting.pk])}#decals")


# Formula characters Excel would run: such a cell starts with an apostrophe instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@login_required
def attendee_export(request, pk):
    """The meeting's participants as CSV that Excel with Swedish settings opens as columns:
    registered, walk-ins and the waiting list, each with workplace, dietary needs and attendance."""
    meeting = managed_meeting(request.user, pk)
    registrations = (
        Registration.objects.filter(meeting=meeting).active().select_related("contact__site").order_by("contact__name", "pk")
    )
    waiting = WaitingListEntry.objects.waiting().filter(meeting=meeting).select_related("contact__site")
    header = [
        _("Namn"), _("E-post"), _("Telefon"), _("Arbetsplats"), _("Företag"), _("Status"), _("Kostönskemål"),
        _("Närvarande"), _("Anmäld"), _("Med i nätverket"),
    ]

    def row(contact, status, dietary_needs, checked_in, registered):
        in_network = contact.in_network and contact.left_network_at is None
        return [
            contact.name, contact.email, contact.phone, contact.site.name, contact.site.company, status, dietary_needs,
            date_format(timezone.localtime(checked_in), "Y-m-d H:i") if checked_in else "",
            date_format(timezone.localtime(registered), "Y-m-d"), _("ja") if in_network else _("nej"),
        ]

    rows = [
        row(r.contact, r.get_status_display(), r.dietary_needs, r.checked_in_at, r.created_at) for r in registrations
    ] + [
        row(e.contact, _("På väntelistan, plats %(position)s") % {"position": n}, e.dietary_needs, None, e.created_at)
        for n, e in enumerate(waiting, start=1)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in header])
    writer.writerows([_cell(value) for value in values] for values in rows)
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="deltagare-{meeting.pk}-{day}.csv"'
    return response
