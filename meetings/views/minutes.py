"""Minutes of a meeting: written on the meeting, sent to attendees and the working group."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meetings.access import managed_meeting
from meetings.models import Minutes
from meetings.services import outreach


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Minnesanteckningar"), widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": gettext_lazy("Skriv anteckningarna innan du sparar.")},
    )


@login_required
def minutes_edit(request, pk):
    meeting = managed_meeting(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else ""})
    if request.method == "POST" and form.is_valid():
        outreach.minutes_save(meeting=meeting, text=form.cleaned_data["text"], written_by=request.user)
        messages.success(request, _("Minnesanteckningarna är sparade."))
        return redirect("meetings:minutes_edit", meeting.pk)
    return render(request, "meetings/minutes_form.html", {
        "meeting": meeting, "form": form, "minutes": minutes, "send_error": outreach.minutes_send_error(meeting, minutes),
    })


@login_required
def minutes_send(request, pk):
    """GET shows who will get this version of the minutes; POST sends it."""
    meeting = managed_meeting(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if request.method == "POST":
        try:
            count = outreach.minutes_send(meeting=meeting, sent_by=request.user)
        except outreach.MinutesNotSent as reason:
            messages.error(request, str(reason))
            return redirect("meetings:minutes_edit", meeting.pk)
        messages.success(request, ngettext(
            "Minnesanteckningarna skickas till %(count)d mottagare.",
            "Minnesanteckningarna skickas till %(count)d mottagare.", count) % {"count": count})
        return redirect("meetings:meeting_outbox", meeting.pk)
    return render(request, "meetings/minutes_send.html", {
        "meeting": meeting, "minutes": minutes, "send_error": outreach.minutes_send_error(meeting, minutes),
        "recipients": outreach.minutes_recipients(meeting).items(),
    })
