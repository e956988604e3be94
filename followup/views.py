import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import require_manager
from followup import criteria, dashboard, selectors, services
from followup.forms import DashboardFilterForm, SeizureFeedbackForm, SurveyForm
from followup.models import SURVEY_MIN_ANSWERS, FollowUp, SeizureFeedback, SurveyInvitation, SurveyPhase, SurveyResponse
from municipalities.models import County, WorkingGroup

PAGE_SIZE = 50


# Follow-ups ------------------------------------------------------------------------------------


@login_required
def followup_list(request):
    page = Paginator(selectors.followups_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "followup/followup_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def followup_detail(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    group = follow_up.meeting.working_group
    attendees = services.attendees_of(follow_up.meeting)
    manages = request.user.can_manage
    return render(
        request,
        "followup/followup_detail.html",
        {
            "follow_up": follow_up,
            "group": group,
            # Who came is for those who manage; instructors see how many.
            "attendees": attendees.select_related("site") if manages else [],
            "attendee_count": attendees.count() if not manages else None,
            "feedback": SeizureFeedback.objects.filter(working_group=group).select_related("recorded_by")[:5],
            "can_manage": manages,
            "can_record_feedback": services.can_record_feedback(request.user, group),
            "proposed_start": services.proposed_start(follow_up),
        },
    )


@login_required
@require_POST
def followup_meeting_create(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    had_meeting = follow_up.follow_up_meeting_id is not None
    meeting = services.followup_meeting_create(follow_up=follow_up, created_by=request.user)
    if had_meeting:
        messages.info(request, _("Uppföljningsmötet var redan skapat."))
    else:
        messages.success(
            request, _("Uppföljningsmötet är skapat och de som var med på samverkansmötet har fått en inbjudan.")
        )
    return redirect(meeting)


@login_required
@require_POST
def followup_done(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    services.followup_mark_done(follow_up=follow_up)
    messages.success(request, _("Uppföljningen är markerad som genomförd."))
    return redirect(follow_up)


# Seizure feedback ---------------------------------------------------------------------------------


@login_required
def seizure_feedback(request, pk):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    may_record = services.can_record_feedback(request.user, group)
    form = SeizureFeedbackForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            services.seizure_feedback_record(group=group, recorded_by=request.user, **form.cleaned_data)
            messages.success(request, _("Återkopplingen är sparad."))
            return redirect("followup:seizure_feedback", pk=group.pk)
    items = Paginator(
        SeizureFeedback.objects.filter(working_group=group).select_related("recorded_by"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/seizurefeedback_list.html",
        {"group": group, "page": items, "form": form, "may_record": may_record},
    )


def _own_feedback(request, pk) -> SeizureFeedback:
    feedback = get_object_or_404(SeizureFeedback.objects.visible_to(request.user), pk=pk)
    if not services.may_change_feedback(request.user, feedback):
        raise PermissionDenied
    return feedback


@login_required
def seizure_feedback_update(request, pk):
    feedback = _own_feedback(request, pk)
    form = SeizureFeedbackForm(request.POST or None, instance=feedback)
    if request.method == "POST" and form.is_valid():
        services.seizure_feedback_update(feedback=feedback, by=request.user, **form.cleaned_data)
        messages.success(request, _("Återkopplingen är ändrad."))
        return redirect("followup:seizure_feedback", pk=feedback.working_group_id)
    return render(request, "followup/seizurefeedback_form.html", {"form": form, "feedback": feedback})


@login_required
def seizure_feedback_delete(request, pk):
    """GET asks first; POST removes the entry."""
    feedback = _own_feedback(request, pk)
    if request.method == "POST":
        group_id = feedback.working_group_id
        services.seizure_feedback_remove(feedback=feedback, by=request.user)
        messages.success(request, _("Återkopplingen är borttagen."))
        return redirect("followup:seizure_feedback", pk=group_id)
    return render(request, "followup/seizurefeedback_delete.html", {"feedback": feedback})



# Survey ------------------------------------------------------------------------------------------


@never_cache
def survey_answer(request, token):
    """The public, anonymous survey: the token opens one unanswered invitation."""
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("registration__meeting__working_group__municipality"), token=token
    )
    meeting = invitation.registration.meeting
    if invitation.answered:
        return render(request, "followup/survey_thanks.html", {"meeting": meeting, "already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.survey_answer(
            invitation=invitation,
            safety=form.cleaned_data["safety"],
            knows_contact=form.cleaned_data["knows_contact"] == "yes",
            would_report=form.cleaned_data["would_report"] == "yes",
        )
        return render(request, "followup/survey_thanks.html", {"meeting": meeting, "already": False})
    return render(request, "followup/survey_form.html", {"form": form, "meeting": meeting, "phase": invitation.phase})


@login_required
def survey_results(request, pk):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    rows = selectors.group_survey_results(group)
    phases = dict(SurveyPhase.choices)
    bars = []
    for row in rows:
        row["label"] = f"{row['quarter']:%Y} K{(row['quarter'].month - 1) // 3 + 1}, {phases[row['phase']]}"
        if row["hidden"]:
            continue
        width = round(dashboard.BAR_AREA * row["safety"] / 5)
        bars.append(
            {
                "label": row["label"],
                "display": number_format(row["safety"], 1),
                "width": width,
                "y": len(bars) * 24,
                "text_x": 172 + width + 6,
            }
        )
    chart = {
        "id": "safety-over-time",
        "title": _("Trygghet över tid (medel 1–5)"),
        "bars": bars,
        "height": max(len(bars), 1) * 24 + 8,
        "summary": _("Medelvärdet för trygghet per kvartal och tillfälle; siffrorna finns i tabellen nedan."),
    }
    return render(
        request,
        "followup/survey_results.html",
        {
            "group": group,
            "rows": rows,
            "chart": chart,
            "phases": selectors.survey_by_phase(SurveyResponse.objects.filter(meeting__working_group=group)),
            "min_answers": SURVEY_MIN_ANSWERS,
        },
    )


# County dashboard --------------------------------------------------------------------------------


def _dashboard(request, code):
    county = get_object_or_404(County.objects.visible_to(request.user), code=code)
    years = dashboard.years_available(county)
    form = DashboardFilterForm(request.GET or None, years=years)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    return form, dashboard.cached_county_dashboard(county, year)


@login_required
def county_dashboard(request, code):
    form, data = _dashboard(request, code)
    return render(request, "followup/county_dashboard.html", {"form": form, **data, "criteria": criteria.CRITERIA})


@login_required
def county_export_csv(request, code):
    _form, data = _dashboard(request, code)
    buffer = io.StringIO()
    # Semicolons and a byte-order mark: Excel with Swedish settings opens it as columns, å ä ö intact.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(dashboard.csv_rows(data))
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tif-{data["county"].code}-{data["year"]}.csv"'
    return response


@login_required
def county_report_pdf(request, code):
    from tif_portal.pdf import render_pdf

    _form, data = _dashboard(request, code)
    title = _("TIF i %(county)s %(year)s") % {"county": data["county"], "year": data["year"]}
    pdf = render_pdf(
        "followup/pdf/county_report.html",
        {**data, "tables": dashboard.print_tables(data), "criteria": criteria.CRITERIA, "generated": timezone.localtime()},
        request=request,
        title=title,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tif-rapport-{data["county"].code}-{data["year"]}.pdf"'
    return response
