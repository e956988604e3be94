from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from decals import pdf, selectors, services
from decals.contact_page import contact_sites
from decals.filters import OrderFilter
from decals.forms import CountySettingsForm, IssueForm, OrderActionForm, OrderForm, StockReceiveForm
from decals.models import CountyDecalSettings, DecalIssue, DecalOrder, DecalSize, DecalStock, DecalStockMovement
from municipalities.models import County
from tif_portal.scoping import can_manage, contacts_of

PAGE_SIZE = 50


# Agent contacts ---------------------------------------------------------------


def order_create(request):
    """A contact orders decals for one of their workplaces (the form also sits on Mina sidor)."""
    contacts = list(contacts_of(request.user))
    if not contacts:
        return redirect("contact:my_page")
    sites = contact_sites(contacts)
    if request.method == "POST":
        form = OrderForm(request.POST, sites=sites)
        if form.is_valid():
            data = dict(form.cleaned_data)
            site = data.pop("site")
            contact = next(c for c in contacts if c.site_id == site.pk)
            try:
                services.order_place(contact=contact, site=site, **data)
            except services.OrderError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Tack! Din beställning är lagd. Du får ett mejl när den har behandlats."))
                return redirect(reverse("contact:my_page") + "#decals")
        return render(request, "decals/order_form.html", {"form": form}, status=400)
    site = get_object_or_404(sites, pk=request.GET.get("arbetsplats") or 0)
    eligibility = selectors.site_eligibility(site)
    form = OrderForm.for_site(site, sites) if eligibility.eligible else None
    return render(request, "decals/order_form.html", {"form": form, "site": site, "eligibility": eligibility})


# County officers and coordinators ---------------------------------------------


def _require_handler(user):
    if not selectors.user_handles_orders(user):
        raise PermissionDenied


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
def order_list(request):
    _require_handler(request.user)
    orders = DecalOrder.objects.visible_to(request.user)
    order_filter = OrderFilter(request.GET or None, queryset=orders, request=request)
    page = Paginator(order_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "decals/order_list.html",
        {
            "filter": order_filter,
            "page": page,
            "query": query.urlencode(),
            "stocks": DecalStock.objects.visible_to(request.user),
            "action_form": OrderActionForm(orders=orders),
        },
    )


@login_required
def order_detail(request, pk):
    order = get_object_or_404(
        DecalOrder.objects.visible_to(request.user).prefetch_related("events__by_user", "events__by_contact"), pk=pk
    )
    return render(
        request,
        "decals/order_detail.html",
        {"order": order, "action_form": OrderActionForm(orders=DecalOrder.objects.none())},
    )


@login_required
@require_POST
def order_action(request):
    """Approve, reject, ship or print the orders ticked in the queue (or on one order's page)."""
    _require_handler(request.user)
    form = OrderActionForm(request.POST, orders=DecalOrder.objects.visible_to(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, reverse("decals:order_list"))
    orders = list(form.cleaned_data["orders"].order_by("site__municipality__name", "pk"))
    action = form.cleaned_data["action"]
    if action == "slips":
        return _pdf(pdf.packing_slips(orders), "foljesedlar.pdf")
    if action == "labels":
        return _pdf(pdf.address_labels(orders), "adressetiketter.pdf")
    result = services.orders_handle(orders=orders, action=action, by=request.user, reason=form.cleaned_data["reason"])
    done = len(result.done)
    if done:
        text = {
            "approve": ngettext("%(count)d beställning är godkänd.", "%(count)d beställningar är godkända.", done),
            "reject": ngettext("%(count)d beställning är avslagen.", "%(count)d beställningar är avslagna.", done),
            "ship": ngettext(
                "%(count)d beställning är markerad som skickad.",
                "%(count)d beställningar är markerade som skickade.",
                done,
            ),
        }[action]
        messages.success(request, text % {"count": done})
    for _order, message in result.failed:
        messages.error(request, message)
    return _back(request, reverse("decals:order_list"))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stock_counties(user):
    if user.is_admin:
        return County.objects.all()
    if user.is_county_officer:
        return County.objects.filter(pk=user.county_id)
    return County.objects.none()


@login_required
def stock(request):
    """The county's stock of decals, its movements and the form for a delivery that came in."""
    _require_handler(request.user)
    counties = _stock_counties(request.user)
    form = StockReceiveForm(request.POST or None, counties=counties) if counties.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            services.stock_receive(by=request.user, **form.cleaned_data)
            messages.success(request, _("Inleveransen är registrerad."))
            return redirect("decals:stock")
    stocks = DecalStock.objects.visible_to(request.user)
    movements = DecalStockMovement.objects.filter(stock__in=stocks).select_related(
        "stock__county", "by", "meeting"
    )[:PAGE_SIZE]
    return render(
        request,
        "decals/stock_list.html",
        {"counties": _stock_table(stocks), "sizes": DecalSize.values, "movements": movements, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _stock_table(stocks) -> list[dict]:
    """One row per county: its stock of each size, and the sum."""
    rows = {}
    for stock in stocks:
        row = rows.setdefault(stock.county_id, {"county": stock.county, "sizes": dict.fromkeys(DecalSize.values, 0)})
        row["sizes"][stock.size] = stock.quantity
    for row in rows.values():
        row["cells"] = [row["sizes"][size] for size in DecalSize.values]
        row["total"] = sum(row["cells"])
    return sorted(rows.values(), key=lambda row: row["county"].code)


# Decals handed out at meetings ----------------------------------------------------------


def _managed_issue(request, pk) -> DecalIssue:
    """An entry the user may see (else 404) and change (else 403)."""
    from meetings.models import Meeting

    issue = get_object_or_404(DecalIssue.objects.visible_to(request.user).select_related("site", "meeting"), pk=pk)
    if not can_manage(request.user) or not Meeting.objects.visible_to(request.user).filter(pk=issue.meeting_id).exists():
        raise PermissionDenied
    return issue


def _attendance_url(issue) -> str:
    return reverse("meetings:attendance", args=[issue.meeting_id]) + "#decals"


@login_required
def issue_update(request, pk):
    """Correct the size or number of decals a workplace got at a meeting."""
    issue = _managed_issue(request, pk)
    form = IssueForm(request.POST or None, initial={"size": issue.size, "quantity": issue.quantity})
    if request.method == "POST" and form.is_valid():
        try:
            services.decal_issue_update(issue=issue, updated_by=request.user, **form.cleaned_data)
        except services.OrderError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Dekalerna till %(site)s är ändrade.") % {"site": issue.site.name})
            return redirect(_attendance_url(issue))
    return render(request, "decals/issue_form.html", {"issue": issue, "form": form, "back": _attendance_url(issue)},
                  status=400 if request.method == "POST" else 200)


@login_required
def issue_delete(request, pk):
    """Ask first, then remove a wrong entry; its decals go back to the county's stock."""
    issue = _managed_issue(request, pk)
    if request.method == "POST":
        services.decal_issue_remove(issue=issue, removed_by=request.user)
        messages.success(request, _("Posten är borttagen och dekalerna är tillbaka i lagret."))
        return redirect(_attendance_url(issue))
    return render(request, "decals/issue_delete.html", {"issue": issue, "back": _attendance_url(issue)})


@login_required
def county_settings(request):
    if not request.user.is_county_officer:
        raise PermissionDenied
    instance, _created = CountyDecalSettings.objects.get_or_create(county_id=request.user.county_id)
    form = CountySettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Inställningarna är sparade."))
        return redirect("decals:order_list")
    return render(request, "decals/settings_form.html", {"form": form, "county": instance.county})


@login_required
def statistics(request):
    """Decals handed out and ordered, per municipality and company, for what the user may see."""
    if not can_manage(request.user):
        raise PermissionDenied
    return render(request, "decals/statistics.html", {"counts": selectors.decal_counts(request.user)})
