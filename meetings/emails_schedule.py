"""Mail to instructors about their meetings, each with the meeting as an .ics attachment."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meetings.calendar import meeting_ics
from meetings.models import Meeting
from tif_portal import outbox


def _subject(kind: str, meeting: Meeting) -> str:
    subjects = {
        "assigned": _("Du är instruktör: %(title)s"),
        "moved": _("Ändrat möte: %(title)s"),
        "cancelled": _("Inställt möte: %(title)s"),
        "removed": _("Du är inte längre instruktör: %(title)s"),
    }
    return subjects.get(kind, subjects["assigned"]) % {"title": meeting.title}


@outbox.renderer("meetings.instructor_schedule")
def instructor_schedule(email):
    meeting = Meeting.objects.select_related("working_group__municipality", "created_by").get(
        pk=email.params["meeting"]
    )
    kind = email.params.get("kind", "assigned")
    method = "CANCEL" if kind in ("cancelled", "removed") else "REQUEST"
    ics = meeting_ics(meeting, method=method)
    context = {"meeting": meeting, "kind": kind}
    return outbox.Rendered(
        subject=_subject(kind, meeting),
        body_text=render_to_string("emails/meeting_instructor.txt", context),
        attachments=[("mote.ics", ics, f"text/calendar; method={method}; charset=utf-8")],
    )
