from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from meetings import selectors
from meetings.calendar import instructor_feed
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from tif_portal.links import absolute_reverse


@login_required
def my_schedule(request):
    links = selectors.meetings_for_instructor(request.user)
    feed_url = absolute_reverse("meetings:calendar_feed", request.user.feed_token)
    return render(request, "meetings/schedule.html", {"links": links, "feed_url": feed_url})


ANSWER_MESSAGES = {
    meeting_services.InstructorAnswer.YES: _lazy("Tack! Du har bekräftat att du kommer."),
    meeting_services.InstructorAnswer.NO: _lazy("Du har tackat nej. Mötets kontaktperson får besked."),
    meeting_services.InstructorAnswer.WITHDRAW: _lazy("Ditt svar är borttaget. Svara igen när du vet."),
}


@login_required
@require_POST
def instructor_answer(request, pk):
    """An instructor's yes, no, or taking back their answer, from Mitt schema or the meeting page."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).filter(instructors=request.user), pk=pk)
    answer = request.POST.get("answer", "")
    if answer not in meeting_services.InstructorAnswer.ALL or meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, _("Det gick inte att spara svaret. Mötet kan vara inställt."))
        return redirect(meeting)
    meeting_services.instructor_answer(meeting=meeting, user=request.user, answer=answer)
    messages.success(request, ANSWER_MESSAGES[answer])
    if request.POST.get("next") == "meeting":
        return redirect(f"{meeting.get_absolute_url()}#ditt-svar")
    return redirect("meetings:my_schedule")


@require_GET
@never_cache
def calendar_feed(request, token):
    """The personal feed: the secret token in the address is the only credential."""
    user = User.objects.filter(feed_token=token, is_active=True).first()
    if user is None:
        raise Http404
    response = HttpResponse(instructor_feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tif-schema.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
