"""Minutes of a meeting: written on the meeting, sent to attendees and the working group."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from meetings import outreach
from meetings.models import Minutes
from meetings.views.invitations import managed_meeting


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Minnesanteckningar"), widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": gettext_lazy("Skriv anteckningarna innan du sparar. (Write the minutes before saving.)")},
    )


@login_required
def minutes_edit(request, pk):
    meeting = managed_meeting(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else ""})
    if request.method == "POST" and form.is_valid():
        outreach.minutes_save(meeting=meeting, text=form.cleaned_data["text"], written_by=request.user)
        messages.success(request, _("Minnesanteckningarna är sparade."))
        return redirect("meetings:minutes_edit", meeting.pk)
    return render(request, "meetings/minutes_form.html", {
        "meeting": meeting, "form": form, "minutes": minutes,
        "recipient_count": len(outreach.minutes_recipients(meeting)) if minutes else 0,
    })


@login_required
@require_POST
def minutes_send(request, pk):
    meeting = managed_meeting(request, pk)
    if not Minutes.objects.filter(meeting=meeting).exists():
        messages.error(request, _("Skriv och spara anteckningarna först. (Write and save the minutes first.)"))
        return redirect("meetings:minutes_edit", meeting.pk)
    count = outreach.minutes_send(meeting=meeting, sent_by=request.user)
    messages.success(request, ngettext(
        "Minnesanteckningarna skickas till %(count)d ny mottagare.",
        "Minnesanteckningarna skickas till %(count)d nya mottagare.", count) % {"count": count})
    return redirect("meetings:meeting_outbox", meeting.pk)
