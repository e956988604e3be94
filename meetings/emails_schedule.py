"""Mail to instructors about their meetings, each with the meeting as an .ics attachment."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.calendar import meeting_ics
from meetings.emails import answered_by
from meetings.models import Meeting
from meetings.outreach import site_url
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
    meeting = Meeting.objects.select_related("working_group__municipality", "created_by", "contact_person").get(
        pk=email.params["meeting"]
    )
    kind = email.params.get("kind", "assigned")
    method = "CANCEL" if kind in ("cancelled", "removed") else "REQUEST"
    ics = meeting_ics(meeting, method=method, with_instructors=True)
    context = {
        "meeting": meeting,
        "kind": kind,
        "contact_person": meeting.responsible_person,
        "answer_url": site_url(meeting.get_absolute_url() + "#ditt-svar"),
    }
    return outbox.Rendered(
        subject=_subject(kind, meeting),
        body_text=render_to_string("emails/meeting_instructor.txt", context),
        attachments=[("mote.ics", ics, f"text/calendar; method={method}; charset=utf-8")],
        headers=answered_by(meeting),
    )


@outbox.renderer("meetings.instructor_declined")
def instructor_declined(email):
    meeting = Meeting.objects.select_related("working_group__municipality").get(pk=email.params["meeting"])
    instructor = User.objects.get(pk=email.params["instructor"])
    context = {"meeting": meeting, "instructor": instructor, "meeting_url": site_url(meeting.get_absolute_url())}
    return outbox.Rendered(
        subject=_("%(name)s kan inte komma: %(title)s") % {"name": instructor.name, "title": meeting.title},
        body_text=render_to_string("emails/instructor_declined.txt", context),
        headers={"Reply-To": instructor.email},
    )
