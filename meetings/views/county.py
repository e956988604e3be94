"""County meetings: trainings and the county group, planned by the county officer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meetings.access import (
    managed_county_meeting,
    may_manage_county_meeting,
    may_plan_county_meetings,
    visible_county_meeting,
)
from meetings.forms import CountyMeetingForm, CountyMinutesForm
from meetings.models import CountyMeeting
from meetings.services import county


@login_required
def county_meeting_list(request):
    meetings = CountyMeeting.objects.visible_to(request.user).order_by("-starts_at")[:200]
    places = dict(
        request.user.county_meeting_places.filter(meeting__in=[m.pk for m in meetings]).values_list(
            "meeting_id", "registered_at"
        )
    )
    rows = [{"meeting": m, "registered": bool(places.get(m.pk))} for m in meetings]
    return render(
        request,
        "meetings/county_meeting_list.html",
        {"rows": rows, "may_plan": may_plan_county_meetings(request.user)},
    )


@login_required
def county_meeting_create(request):
    if not may_plan_county_meetings(request.user):
        raise PermissionDenied
    form = CountyMeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = county.county_meeting_create(
            county=data.pop("county", None) or request.user.county, created_by=request.user, **data
        )
        messages.success(request, _("Mötet är skapat. Bjud in länets instruktörer och samordnare."))
        return redirect(meeting)
    return render(request, "meetings/county_meeting_form.html", {"form": form})


@login_required
def county_meeting_update(request, pk):
    meeting = managed_county_meeting(request.user, pk)
    form = CountyMeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        county.county_meeting_update(meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(meeting)
    return render(request, "meetings/county_meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def county_meeting_detail(request, pk):
    meeting = visible_county_meeting(request.user, pk)
    manages = may_manage_county_meeting(request.user, meeting)
    own = meeting.participants.filter(user=request.user).first()
    context = {
        "meeting": meeting,
        "can_manage": manages,
        "own": own,
        "may_register": county.may_register(request.user, meeting),
        "follow_up": meeting.follow_ups.first(),
    }
    if manages:
        participants = list(meeting.participants.select_related("user"))
        trained = county.trained_on([p.user_id for p in participants])
        for place in participants:
            place.trained_day = trained.get(place.user_id)
        invited = {p.user_id for p in participants if p.invited_at}
        context.update(
            participants=participants,
            invitable=[u for u in county.people_of_county(meeting.county) if u.pk not in invited],
            minutes_form=CountyMinutesForm(initial={"minutes": meeting.minutes}),
        )
    return render(request, "meetings/county_meeting_detail.html", context)


def _done(request, meeting, text):
    messages.success(request, text)
    return redirect(meeting)


def _refused(request, meeting, error):
    messages.error(request, str(error))
    return redirect(meeting)


@login_required
@require_POST
def county_meeting_invite(request, pk):
    meeting = managed_county_meeting(request.user, pk)
    ids = request.POST.getlist("users")
    users = county.people_of_county(meeting.county).filter(pk__in=[i for i in ids if i.isdigit()])
    if not users:
        return _refused(request, meeting, _("Välj minst en person att bjuda in."))
    sent = county.county_meeting_invite(meeting=meeting, users=list(users), invited_by=request.user)
    return _done(request, meeting, ngettext("%(count)s inbjudan skickas.", "%(count)s inbjudningar skickas.", sent) % {"count": sent})


@login_required
@require_POST
def county_meeting_register(request, pk):
    meeting = visible_county_meeting(request.user, pk)
    register = request.POST.get("register") != "0"
    try:
        county.county_meeting_register(meeting=meeting, user=request.user, register=register)
    except county.CountyMeetingError as error:
        return _refused(request, meeting, error)
    return _done(request, meeting, _("Du är anmäld.") if register else _("Du är avanmäld."))


@login_required
@require_POST
def county_meeting_attendance(request, pk):
    meeting = managed_county_meeting(request.user, pk)
    present = [i for i in request.POST.getlist("present") if i.isdigit()]
    try:
        came = county.county_meeting_attendance(meeting=meeting, present=present, recorded_by=request.user)
    except county.CountyMeetingError as error:
        return _refused(request, meeting, error)
    if meeting.is_training:
        text = ngettext(
            "Närvaron är sparad: %(count)s person är utbildad instruktör.",
            "Närvaron är sparad: %(count)s personer är utbildade instruktörer.",
            came,
        ) % {"count": came}
    else:
        text = ngettext("Närvaron är sparad: %(count)s deltog.", "Närvaron är sparad: %(count)s deltog.", came) % {
            "count": came
        }
    return _done(request, meeting, text)


@login_required
@require_POST
def county_meeting_minutes(request, pk):
    meeting = managed_county_meeting(request.user, pk)
    form = CountyMinutesForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting, " ".join(form.errors["minutes"]))
    send = request.POST.get("send") == "1"
    try:
        sent = county.county_meeting_minutes_save(meeting=meeting, text=form.cleaned_data["minutes"], send=send)
    except county.CountyMeetingError as error:
        return _refused(request, meeting, error)
    if send:
        return _done(request, meeting, ngettext(
            "Anteckningarna är sparade och skickas till %(count)s person.",
            "Anteckningarna är sparade och skickas till %(count)s personer.",
            sent,
        ) % {"count": sent})
    return _done(request, meeting, _("Anteckningarna är sparade."))


@login_required
@require_POST
def county_meeting_follow_up(request, pk):
    meeting = managed_county_meeting(request.user, pk)
    try:
        follow_up = county.county_meeting_follow_up(meeting=meeting, created_by=request.user)
    except county.CountyMeetingError as error:
        return _refused(request, meeting, error)
    messages.success(
        request,
        _("Uppföljningen är planerad till %(date)s och samma personer är inbjudna. Kontrollera uppgifterna.")
        % {"date": date_format(follow_up.starts_at.date())},
    )
    return redirect(follow_up)
