"""The yearly report to the leadership that decided: a page, a tagged PDF, and a mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipalities import report
from municipalities.emails import leadership_report_pdf
from municipalities.models import WorkingGroup
from municipalities.services import leadership_report_send


def _group(request, pk) -> WorkingGroup:
    return get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)


def _year(group, value) -> int:
    years = report.report_years(group)
    try:
        year = int(value) if value else years[0]
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    return year


@login_required
def report_html(request, pk):
    group = _group(request, pk)
    year = _year(group, request.GET.get("ar"))
    return render(
        request,
        "municipalities/report.html",
        {
            **report.group_year_report(group, year),
            "years": report.report_years(group),
            "can_send": request.user.can_manage,
        },
    )


@login_required
def report_pdf(request, pk, year):
    group = _group(request, pk)
    year = _year(group, year)
    response = HttpResponse(leadership_report_pdf(group, year, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tif-arsrapport-{group.pk}-{year}.pdf"'
    return response


@login_required
@require_POST
def report_send(request, pk, year):
    group = _group(request, pk)
    if not request.user.can_manage:
        raise PermissionDenied
    year = _year(group, year)
    url = reverse("municipalities:report", args=[group.pk]) + f"?ar={year}"
    if not group.leadership_email:
        messages.error(request, _("Ange ledningens e-postadress under beslutet först."))
        return redirect(url)
    leadership_report_send(group=group, year=year, sent_by=request.user)
    messages.success(
        request, _("Rapporten skickas till %(email)s. Leveransen syns i utkorgen.") % {"email": group.leadership_email}
    )
    return redirect(url)
