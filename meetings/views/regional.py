"""Regional agent managers: invited by a county officer or coordinator for their company's sites."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import require_manager
from meetings.forms import RegionalManagerForm
from meetings.models import RegionalManager, Site
from meetings.services import regional

# More sites than this for one company: narrow by municipality first.
MAX_SITES = 300


@login_required
def regional_manager_list(request):
    require_manager(request.user)
    managers = RegionalManager.objects.visible_to(request.user)[:500]
    return render(request, "meetings/regional_manager_list.html", {"managers": managers})


@login_required
def regional_manager_detail(request, pk):
    require_manager(request.user)
    manager = get_object_or_404(RegionalManager.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "meetings/regional_manager_detail.html",
        {"manager": manager, "sites": regional.manager_sites(manager, request.user)},
    )


@login_required
def regional_manager_create(request):
    """First the company (a GET form, works without JavaScript), then the person and the sites."""
    require_manager(request.user)
    visible = Site.objects.visible_to(request.user)
    companies = regional.companies_of(visible)
    company = request.GET.get("foretag", "")
    form = None
    too_many = False
    if company in companies:
        sites = visible.filter(company=company).order_by("municipality__name", "name")
        municipality = request.GET.get("kommun", "")
        if municipality.isdigit():
            sites = sites.filter(municipality_id=municipality)
        too_many = sites.count() > MAX_SITES
        form = RegionalManagerForm(request.POST or None, sites=sites[:MAX_SITES] if too_many else sites)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            manager = regional.regional_manager_invite(
                company=company, name=data["name"], email=data["email"], phone=data["phone"],
                language=data["language"], sites=list(data["sites"]), invited_by=request.user,
            )
            messages.success(request, _("%(name)s är inbjuden och kontaktperson för de valda arbetsplatserna.") % {"name": manager.name})
            return redirect(manager)
    municipalities = visible.filter(company=company).values_list("municipality_id", "municipality__name").distinct().order_by("municipality__name") if form else []
    return render(
        request,
        "meetings/regional_manager_form.html",
        {"companies": companies, "company": company, "form": form, "too_many": too_many, "max_sites": MAX_SITES,
         "municipalities": municipalities, "municipality": request.GET.get("kommun", "")},
    )
