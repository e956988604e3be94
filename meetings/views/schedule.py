from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from meetings import selectors, services
from meetings.calendar import instructor_feed
from meetings.models import Meeting


@login_required
def my_schedule(request):
    links = selectors.meetings_for_instructor(request.user)
    feed_url = settings.SITE_URL + reverse("meetings:calendar_feed", args=[request.user.feed_token])
    return render(request, "meetings/schedule.html", {"links": links, "feed_url": feed_url})


@login_required
@require_POST
def instructor_confirm(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).filter(instructors=request.user), pk=pk)
    services.instructor_confirm(meeting=meeting, user=request.user)
    messages.success(request, _("Tack! Du har bekräftat att du kommer."))
    next_url = request.POST.get("next")
    if next_url == "meeting":
        return redirect(meeting)
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
