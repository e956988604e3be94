import re
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require_manager
from meetings import selectors
from meetings.filters import SiteFilter
from meetings.forms import ContactForm, NetworkConsentForm, SiteForm, SiteImportForm
from meetings.models import Contact, NetworkConsent, Site
from meetings.services import outreach, sites_csv
from meetings.services import sites as site_services
from meetings.services.network import network_join
from municipalities.models import Municipality

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "meetings_site_import"
# The rows the last import left out, for the download on the upload page.
REJECTED_SESSION_KEY = "meetings_site_import_rejected"


@login_required
def site_list(request):
    require_manager(request.user)
    sites = selectors.sites_for(request.user).order_by("name", "pk")
    site_filter = SiteFilter(request.GET or None, queryset=sites, user=request.user)
    page = Paginator(site_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/site_list.html",
        {"filter": site_filter, "page": page, "query": query.urlencode()},
    )


@login_required
def site_detail(request, pk):
    require_manager(request.user)
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=pk)
    return render(request, "meetings/site_detail.html", {"site": site, "contacts": selectors.contacts_of_site(site)})


@login_required
def site_create(request):
    require_manager(request.user)
    form = SiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        site = site_services.site_create(**form.cleaned_data)
        messages.success(request, _("Arbetsplatsen är sparad."))
        return redirect(site)
    return render(request, "meetings/site_form.html", {"form": form})


@login_required
def site_update(request, pk):
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    form = SiteForm(request.POST or None, instance=site, user=request.user)
    if request.method == "POST" and form.is_valid():
        site_services.site_update(site=site, **form.cleaned_data)
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(site)
    return render(request, "meetings/site_form.html", {"form": form, "site": site})


@login_required
def contact_create(request, pk):
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    form = ContactForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        site_services.contact_create(site=site, **form.cleaned_data)
        messages.success(request, _("Kontaktpersonen är sparad."))
        return redirect(site)
    return render(request, "meetings/contact_form.html", {"form": form, "site": site})


def _contact_page(request, contact, *, consent_form=None, status=200):
    in_network = contact.in_network and contact.left_network_at is None
    return render(request, "meetings/contact_detail.html", {
        "contact": contact, "site": contact.site, "in_network": in_network,
        "consents": contact.network_consents.select_related("given_by", "recorded_by"),
        "consent_form": None if in_network or contact.erased_at else consent_form or NetworkConsentForm(contact=contact),
        "invitations": outreach.contact_invitations(contact),
    }, status=status)


@login_required
def contact_detail(request, pk):
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    return _contact_page(request, contact)


@login_required
@require_POST
def contact_network_join(request, pk):
    """Add the contact to the local network with the consent they gave the coordinator."""
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    form = NetworkConsentForm(request.POST, contact=contact)
    if not form.is_valid():
        return _contact_page(request, contact, consent_form=form, status=400)
    network_join(contact=contact, method=NetworkConsent.Method.COORDINATOR, recorded_by=request.user,
                 note=form.cleaned_data["note"])
    messages.success(request, _("%(name)s är med i det lokala nätverket. Samtycket är sparat.") % {"name": contact.name})
    return redirect(contact)


@login_required
def contact_update(request, pk):
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    form = ContactForm(request.POST or None, instance=contact, site=contact.site)
    if request.method == "POST" and form.is_valid():
        site_services.contact_update(contact=contact, **form.cleaned_data)
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(contact)
    return render(request, "meetings/contact_form.html", {"form": form, "site": contact.site, "contact": contact})


# Import --------------------------------------------------------------------------------


@login_required
def site_import(request):
    """Upload a CSV file; its rows are kept in the session until the user confirms."""
    require_manager(request.user)
    form = SiteImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            read = sites_csv.read(upload.read(sites_csv.MAX_BYTES + 1))
        except sites_csv.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "municipality": form.cleaned_data["municipality"].pk,
                "filename": upload.name[:200],
                "header": read.header,
                "rows": read.rows,
            }
            return redirect("meetings:site_import_preview")
    return render(
        request, "meetings/site_import.html", {"form": form, "rejected": request.session.get(REJECTED_SESSION_KEY)}
    )


def _stored_import(request):
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        return None, None
    # The municipality is checked again: the user's access may have changed since the upload.
    municipality = Municipality.objects.visible_to(request.user).filter(pk=stored["municipality"]).first()
    if municipality is None:
        request.session.pop(IMPORT_SESSION_KEY, None)
        return None, None
    return stored, municipality


def _rejected(stored: dict, plan) -> dict:
    return {
        "filename": stored["filename"],
        "header": stored.get("header", []),
        "rows": [[row.raw, row.message] for row in plan.rejected],
    }


@login_required
@require_http_methods(["GET", "POST"])
def site_import_preview(request):
    require_manager(request.user)
    stored, municipality = _stored_import(request)
    if stored is None:
        messages.info(request, _("Ladda upp en fil först."))
        return redirect("meetings:site_import")
    if request.method == "POST":
        if "discard" in request.POST:
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.info(request, _("Importen är avbruten. Inget sparades."))
            return redirect("meetings:site_import")
        skip_errors = "confirm_valid" in request.POST
        try:
            applied = sites_csv.import_apply(
                stored["rows"], municipality=municipality, user=request.user, skip_errors=skip_errors
            )
        except sites_csv.ImportBlocked as exc:
            messages.error(request, str(exc))
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
            counts = applied.counts
            messages.success(
                request,
                _("Importen är klar: %(create)s nya, %(update)s ändrade, %(unchanged)s oförändrade arbetsplatser.")
                % counts,
            )
            if counts["duplicate"]:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d rad var en upprepning av en tidigare rad i filen och hoppades över.",
                        "%(count)d rader var upprepningar av tidigare rader i filen och hoppades över.",
                        counts["duplicate"],
                    )
                    % {"count": counts["duplicate"]},
                )
            if applied.rejected:
                request.session[REJECTED_SESSION_KEY] = _rejected(stored, applied)
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d rad med fel sparades inte. Ladda ner den, rätta och importera den igen.",
                        "%(count)d rader med fel sparades inte. Ladda ner dem, rätta och importera dem igen.",
                        len(applied.rejected),
                    )
                    % {"count": len(applied.rejected)},
                )
                return redirect("meetings:site_import")
            request.session.pop(REJECTED_SESSION_KEY, None)
            return redirect("meetings:site_list")
    plan = sites_csv.plan(stored["rows"], municipality=municipality, user=request.user)
    return render(
        request,
        "meetings/site_import_preview.html",
        {"plan": plan, "municipality": municipality, "filename": stored["filename"]},
    )


@login_required
def site_import_rejected(request):
    """The rows with errors as CSV, with a column saying what is wrong: from the import being
    previewed, or else the ones the last import left out."""
    require_manager(request.user)
    stored, municipality = _stored_import(request)
    if stored is not None:
        rejected = _rejected(stored, sites_csv.plan(stored["rows"], municipality=municipality, user=request.user))
    else:
        rejected = request.session.get(REJECTED_SESSION_KEY)
    if not rejected or not rejected["rows"]:
        messages.info(request, _("Det finns inga rader med fel att ladda ner."))
        return redirect("meetings:site_import")
    response = HttpResponse(
        sites_csv.rejected_csv(rejected["header"], rejected["rows"]), content_type="text/csv; charset=utf-8"
    )
    stem = rejected["filename"].rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{_ascii(stem)}-avvisade.csv"'
    return response


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "-", plain).strip("-")[:80] or "import"
