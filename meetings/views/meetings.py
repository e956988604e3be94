from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from meetings.models import Meeting


@login_required
def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).order_by("-starts_at")[:100]
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
