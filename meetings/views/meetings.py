from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require_manager
from decals import selectors as decal_selectors
from followup import services as followup_services
from meetings import selectors
from meetings.access import managed_meeting, may_manage
from meetings.filters import MeetingFilter
from meetings.forms import MeetingCopyForm, MeetingForm
from meetings.models import ChecklistItem, Meeting
from meetings.services import meetings as meeting_services
from meetings.services import outreach

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50


@login_required
def meeting_list(request):
    meeting_filter = MeetingFilter(request.GET, queryset=selectors.meetings_for(request.user))
    page = Paginator(meeting_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {"filter": meeting_filter, "page": page, "query": query.urlencode(), "can_manage": request.user.can_manage},
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_page(request.user), pk=pk)
    links = list(meeting.instructor_links.all())
    own_link = next((link for link in links if link.user_id == request.user.pk), None)
    manages = may_manage(request.user, meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "instructor_links": links,
            "own_link": own_link,
            "checklist": meeting.checklist.all(),
            "can_manage": manages,
            "failed_invitations": outreach.failed_invitations(meeting).count() if manages else 0,
            "copy_form": MeetingCopyForm(),
            "decals": decal_selectors.decals_handed_out(meeting),
        },
    )


@login_required
def meeting_create(request):
    require_manager(request.user)
    form = MeetingForm(request.POST or None, user=request.user, initial={"agenda": meeting_services.default_agenda()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = meeting_services.meeting_create(
            group=data.pop("working_group"),
            created_by=request.user,
            instructors=list(data.pop("instructors")),
            **data,
        )
        messages.success(request, _("Mötet är skapat. Instruktörerna får en kalenderinbjudan."))
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
def meeting_update(request, pk):
    meeting = managed_meeting(request.user, pk)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.info(request, _("Mötet är inställt och kan inte ändras. Kopiera det för att planera ett nytt."))
        return redirect(meeting)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        moves = set(meeting_services.MOVE_FIELDS) & set(form.changed_data)
        if moves and request.POST.get("confirm_move") != "1":
            # Who will be told comes first: a move mails everyone the meeting concerns.
            return render(request, "meetings/meeting_move_confirm.html", {
                "meeting": meeting, "form": form, "recipients": outreach.change_recipients(meeting),
                "instructors": list(meeting.instructors.all()),
                "posted": [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", "confirm_move") for v in values],
            })
        data = dict(form.cleaned_data)
        meeting_services.meeting_update(
            meeting=meeting, updated_by=request.user, instructors=list(data.pop("instructors")), **data
        )
        if moves:
            messages.success(request, _("Ändringarna är sparade. Deltagarna, de inbjudna och instruktörerna får en uppdaterad kalenderfil."))
        else:
            messages.success(request, _("Ändringarna är sparade."))
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_cancel(request, pk):
    meeting = managed_meeting(request.user, pk)
    if request.method == "POST":
        meeting_services.meeting_cancel(meeting=meeting, cancelled_by=request.user)
        messages.success(request, _("Mötet är inställt. Deltagarna, de inbjudna och instruktörerna får besked."))
        return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {
        "meeting": meeting, "recipients": outreach.change_recipients(meeting), "instructors": list(meeting.instructors.all()),
    })


@login_required
@require_POST
def meeting_mark_held(request, pk):
    meeting = managed_meeting(request.user, pk)
    followup = followup_services.meeting_mark_held(meeting=meeting)
    if followup is not None:
        messages.success(request, _("Mötet är markerat som genomfört. Uppföljningen är planerad till %(date)s.") % {"date": date_format(followup.due_date)})
    else:
        messages.success(request, _("Mötet är markerat som genomfört."))
    return redirect(meeting)


@login_required
def meeting_copy(request, pk):
    meeting = managed_meeting(request.user, pk)
    form = MeetingCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        copy = meeting_services.meeting_copy(meeting=meeting, weeks=form.cleaned_data["weeks"], created_by=request.user)
        messages.success(request, _("Mötet är kopierat. Kontrollera uppgifterna."))
        return redirect("meetings:meeting_update", copy.pk)
    return render(request, "meetings/meeting_copy.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def checklist_tick(request, pk):
    item = get_object_or_404(
        ChecklistItem.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)).select_related("meeting"),
        pk=pk,
    )
    managed_meeting(request.user, item.meeting_id)
    done = request.POST.get("done") == "1"
    meeting_services.checklist_tick(item=item, user=request.user, done=done)
    return redirect(f"{item.meeting.get_absolute_url()}#checklist-{item.pk}")


@login_required
def meeting_history(request, pk):
    """Who changed the meeting and its registrations, and when: for those who manage it."""
    meeting = managed_meeting(request.user, pk)
    page = Paginator(selectors.meeting_history(meeting), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_history.html", {"meeting": meeting, "page": page})
