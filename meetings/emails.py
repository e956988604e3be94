"""Mail about meetings to participants: invitation, confirmation, reminder, minutes, network news.

The worker runs each renderer with the mail's language active. Contacts who read
English get the Swedish text followed by the English one, so a forwarded mail still
reads for their Swedish colleagues.
"""

import re
from email.utils import formataddr

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from knowledge.material import minutes_material_link
from meetings.calendar import meeting_ics
from meetings.models import Contact, Invitation, Meeting, Minutes, Registration
from meetings.pdf import invitation_paragraphs
from municipalities.models import WorkingGroup
from tif_portal import outbox
from tif_portal.links import absolute_reverse, absolute_url

SEPARATOR = "\n\n---------------- English ----------------\n\n"


def _both_languages(language: str, render) -> tuple[str, str]:
    """(subject, body) in Swedish, with the English version added for English readers
    (whose mail then says Content-Language "sv, en", see ``content_language``)."""
    with translation.override("sv"):
        subject, body = render()
    if language != "en":
        return subject, body
    with translation.override("en"):
        subject_en, body_en = render()
    return f"{subject} / {subject_en}", body + SEPARATOR + body_en


def content_language(language: str) -> str:
    return "sv, en" if language == "en" else "sv"


def answered_by(meeting: Meeting) -> dict:
    """Replies go to the meeting's contact person, not to the portal's no-reply sender."""
    person = meeting.responsible_person
    if person is None or not person.email:
        return {}
    return {"Reply-To": formataddr((person.name, person.email)) if person.name else person.email}


def _reply_to_user(user_id) -> dict:
    user = User.objects.filter(pk=user_id).only("name", "email").first() if user_id else None
    return {"Reply-To": formataddr((user.name, user.email))} if user and user.email else {}


def _meeting_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "contact_person": meeting.responsible_person,
        "group": meeting.working_group,
        "municipality": meeting.working_group.municipality,
        "starts": timezone.localtime(meeting.starts_at),
        "ends": timezone.localtime(meeting.ends_at),
        "deadline": timezone.localtime(meeting.registration_deadline) if meeting.registration_deadline else None,
    }


# A PDF takes a quarter of a second and a calendar file some milliseconds: a round of
# a thousand invitations renders them once per worker process and version of the
# meeting, not per mail. Each key holds what changes with the document (sequence,
# save time, language), so a new version never meets an old file.
_documents: dict[tuple, bytes] = {}
MAX_DOCUMENTS = 32


def _cached_document(key: tuple, make) -> bytes:
    if key not in _documents:
        if len(_documents) >= MAX_DOCUMENTS:
            # The oldest goes, so mail about many meetings does not evict every letter at once.
            del _documents[next(iter(_documents))]
        _documents[key] = make()
    return _documents[key]


def _ics(meeting: Meeting, *, withdrawn: bool = False) -> tuple[str, bytes, str]:
    """The meeting as a calendar file; ``withdrawn`` takes it out of one person's calendar
    (a participant who gave their place back), as a cancelled meeting does for everyone."""
    method = "CANCEL" if withdrawn or meeting.status == Meeting.Status.CANCELLED else "PUBLISH"
    key = ("ics", meeting.pk, meeting.sequence, meeting.updated_at, method)
    content = _cached_document(key, lambda: meeting_ics(meeting, method=method))
    return ("mote.ics", content, f"text/calendar; method={method}; charset=utf-8")


def invitation_letter(invitation: Invitation):
    """The printed invitation letter (annex 1) as a PDF attachment, when documents provide one."""
    try:
        from meetings.pdf import invitation_letter_pdf
    except ImportError:
        return None
    meeting = invitation.meeting
    key = ("invitation", meeting.pk, meeting.sequence, meeting.updated_at, translation.get_language())
    return ("inbjudan.pdf", _cached_document(key, lambda: invitation_letter_pdf(meeting)), "application/pdf")


# The invitations of the delivery batch at hand, fetched in one query before its first mail.
_batch_invitations: dict[int, Invitation] = {}


def _invitations():
    return Invitation.objects.select_related(
        "meeting__working_group__municipality", "meeting__contact_person", "meeting__created_by", "contact__site"
    )


def _to_contact(meeting: Meeting, contact: Contact, **fields) -> outbox.Mail:
    """A mail about the meeting to one of its contacts, in the contact's language."""
    return outbox.Mail(
        to=contact.email,
        language=contact.language,
        municipality_id=meeting.working_group.municipality_id,
        about=meeting,
        **fields,
    )


def invitation_key(invitation: Invitation) -> str:
    """The outbox key of the invitation's mail: one row per meeting and contact."""
    return _invitation_key(invitation.meeting_id, invitation.contact_id)


def _invitation_key(meeting_id: int, contact_id: int) -> str:
    return f"invitation:{meeting_id}:{contact_id}"


def invitation_mail(*, meeting: Meeting, contact: Contact, invitation_id: int, batch: str = "") -> outbox.Mail:
    """The invitation to one contact; one per meeting and contact however often it is sent."""
    return _to_contact(
        meeting,
        contact,
        key=_invitation_key(meeting.pk, contact.pk),
        purpose="invitation",
        renderer="meetings.invitation",
        params={"invitation": invitation_id},
        batch=batch,
    )


@outbox.preloader("meetings.invitation")
def invitations_preload(emails) -> None:
    _batch_invitations.clear()
    _batch_invitations.update(_invitations().in_bulk([email.params["invitation"] for email in emails]))


@outbox.renderer("meetings.invitation")
def invitation(email):
    # Each preloaded row is used once: a later attempt of the same mail fetches it afresh.
    inv = _batch_invitations.pop(email.params["invitation"], None) or _invitations().get(pk=email.params["invitation"])
    context = {
        **_meeting_context(inv.meeting),
        "contact": inv.contact,
        "link": absolute_reverse("meetings:registration", inv.token),
        "paragraphs": invitation_paragraphs(inv.meeting),
    }

    def render():
        return (
            _("Inbjudan: %(title)s") % {"title": inv.meeting.title},
            render_to_string("emails/invitation.txt", context),
        )

    subject, body = _both_languages(email.language, render)
    attachments = [_ics(inv.meeting)]
    letter = invitation_letter(inv)
    if letter:
        attachments.append(letter)
    return outbox.Rendered(
        subject=subject, body_text=body, attachments=attachments, headers=answered_by(inv.meeting),
        content_language=content_language(email.language),
    )


def registration_confirmation_mail(registration: Registration) -> outbox.Mail:
    """Registered, changed or cancelled: each saved version of the registration is told once."""
    return _to_contact(
        registration.meeting,
        registration.contact,
        key=f"registration:{registration.pk}:{registration.history.count()}",
        purpose="registration",
        renderer="meetings.registration_confirmation",
        params={"registration": registration.pk},
    )


def registration_reminder_mail(registration: Registration) -> outbox.Mail:
    """The reminder before the meeting, once per registration."""
    return _to_contact(
        registration.meeting,
        registration.contact,
        key=f"reminder:{registration.pk}",
        purpose="reminder",
        renderer="meetings.registration_reminder",
        params={"registration": registration.pk},
    )


def _registration(email) -> Registration:
    return Registration.objects.select_related(
        "meeting__working_group__municipality", "meeting__contact_person", "meeting__created_by", "contact"
    ).get(pk=email.params["registration"])


@outbox.renderer("meetings.registration_confirmation")
def registration_confirmation(email):
    registration = _registration(email)
    cancelled = registration.status == Registration.Status.CANCELLED
    context = {
        **_meeting_context(registration.meeting),
        "contact": registration.contact,
        "registration": registration,
        "cancelled": cancelled,
        "link": absolute_reverse("meetings:registration_change", registration.token),
    }

    def render():
        subject = _("Avbokad: %(title)s") if cancelled else _("Anmäld: %(title)s")
        return subject % {"title": registration.meeting.title}, render_to_string(
            "emails/registration_confirmation.txt", context
        )

    subject, body = _both_languages(email.language, render)
    return outbox.Rendered(
        subject=subject, body_text=body, attachments=[_ics(registration.meeting, withdrawn=cancelled)],
        headers=answered_by(registration.meeting), content_language=content_language(email.language),
    )


@outbox.renderer("meetings.registration_reminder")
def registration_reminder(email):
    registration = _registration(email)
    context = {
        **_meeting_context(registration.meeting),
        "contact": registration.contact,
        "link": absolute_reverse("meetings:registration_change", registration.token),
    }

    def render():
        return _("Påminnelse: %(title)s") % {"title": registration.meeting.title}, render_to_string(
            "emails/registration_reminder.txt", context
        )

    subject, body = _both_languages(email.language, render)
    return outbox.Rendered(
        subject=subject, body_text=body, attachments=[_ics(registration.meeting)],
        headers=answered_by(registration.meeting), content_language=content_language(email.language),
    )


def minutes_document(meeting: Meeting):
    """The minutes as a PDF attachment, when documents provide one."""
    try:
        from meetings.pdf import minutes_pdf
    except ImportError:
        return None
    updated = Minutes.objects.filter(meeting=meeting).values_list("updated_at", flat=True).first()
    key = ("minutes", meeting.pk, updated, translation.get_language())
    return ("minnesanteckningar.pdf", _cached_document(key, lambda: minutes_pdf(meeting)), "application/pdf")


def minutes_mail(*, meeting: Meeting, version: int, email: str, language: str) -> outbox.Mail:
    """One version of the minutes to one address; a corrected version goes again."""
    return outbox.Mail(
        key=f"minutes:{meeting.pk}:v{version}:{email}",
        to=email,
        purpose="minutes",
        renderer="meetings.minutes",
        params={"meeting": meeting.pk, "version": version},
        language=language,
        municipality_id=meeting.working_group.municipality_id,
        about=meeting,
    )


@outbox.renderer("meetings.minutes")
def minutes(email):
    record = Minutes.objects.select_related(
        "meeting__working_group__municipality", "meeting__contact_person", "meeting__created_by"
    ).get(meeting_id=email.params["meeting"])
    version = email.params.get("version", 1)
    context = {
        **_meeting_context(record.meeting), "minutes": record, "version": version,
        "material_link": minutes_material_link(record.meeting, email.to),
    }

    def render():
        if version > 1:
            subject = _("Rättade minnesanteckningar (version %(version)s): %(title)s")
        else:
            subject = _("Minnesanteckningar: %(title)s")
        return subject % {"title": record.meeting.title, "version": version}, render_to_string(
            "emails/minutes.txt", context
        )

    subject, body = _both_languages(email.language, render)
    document = minutes_document(record.meeting)
    return outbox.Rendered(
        subject=subject, body_text=body, attachments=[document] if document else [],
        headers=answered_by(record.meeting), content_language=content_language(email.language),
    )


def meeting_changed_mail(*, meeting: Meeting, contact: Contact, kind: str) -> outbox.Mail:
    """A move or a cancellation ("moved", "cancelled"); the key holds the sequence, so each
    version of the meeting reaches each address once."""
    return _to_contact(
        meeting,
        contact,
        key=f"meeting-{kind}:{meeting.pk}:{meeting.sequence}:{contact.email.lower()}",
        purpose=f"meeting_{kind}",
        renderer="meetings.meeting_changed",
        params={"meeting": meeting.pk, "contact": contact.pk, "kind": kind},
    )


@outbox.renderer("meetings.meeting_changed")
def meeting_changed(email):
    """A move or a cancellation, to a participant or an invited contact, with the calendar file."""
    meeting = Meeting.objects.select_related(
        "working_group__municipality", "contact_person", "created_by"
    ).get(pk=email.params["meeting"])
    contact = Contact.objects.get(pk=email.params["contact"])
    kind = email.params["kind"]
    registration = meeting.registrations.active().filter(contact=contact).first()
    invitation = meeting.invitations.filter(contact=contact).first()
    if registration is not None:
        link = absolute_reverse("meetings:registration_change", registration.token)
    else:
        link = absolute_reverse("meetings:registration", invitation.token) if invitation else ""
    context = {**_meeting_context(meeting), "contact": contact, "kind": kind, "registration": registration, "link": link}

    def render():
        subject = _("Inställt: %(title)s") if kind == "cancelled" else _("Nytt datum eller ny plats: %(title)s")
        return subject % {"title": meeting.title}, render_to_string("emails/meeting_changed.txt", context)

    subject, body = _both_languages(email.language, render)
    return outbox.Rendered(
        subject=subject, body_text=body, attachments=[_ics(meeting)], headers=answered_by(meeting),
        content_language=content_language(email.language),
    )


GREETING = re.compile(r"^\s*(hej|hejsan|hallå|god (morgon|dag|kväll)|kära|hello|hi|dear)\b", re.IGNORECASE)


def _greets(text: str) -> bool:
    """Whether the coordinator's text starts with a greeting of its own (then the mail adds none)."""
    return bool(GREETING.match(text))


def network_leave_url(contact: Contact) -> str:
    return absolute_reverse("meetings:network_leave", contact.token)


def network_news_mail(
    *, batch: str, contact_id: int, email: str, language: str, group: WorkingGroup, subject: str, text: str, sent_by
) -> outbox.Mail:
    """The coordinator's message to one network member, with a one-click leave link."""
    return outbox.Mail(
        key=f"network:{batch}:{contact_id}",
        to=email,
        purpose="network",
        renderer="meetings.network_news",
        params={"contact": contact_id, "subject": subject, "text": text, "group": group.pk, "sent_by": sent_by.pk},
        language=language,
        municipality_id=group.municipality_id,
        about=group,
        batch=batch,
    )


@outbox.renderer("meetings.network_news")
def network_news(email):  # written by a coordinator to the network: replies go to the sender
    contact = Contact.objects.get(pk=email.params["contact"])
    group = WorkingGroup.objects.get(pk=email.params["group"])
    leave_url = network_leave_url(contact)
    text = email.params["text"]
    context = {"contact": contact, "group": group, "text": text, "leave_url": leave_url, "greets": _greets(text)}
    # The coordinator's words come once, as written; the portal's own lines (greeting, footer)
    # are in the reader's language. Two languages would repeat the greeting and the text.
    with translation.override(email.language):
        body = render_to_string("emails/network_news.txt", context)
    subject = email.params["subject"]
    return outbox.Rendered(
        subject=subject,
        body_text=body,
        headers={
            "List-Unsubscribe": f"<{leave_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **_reply_to_user(email.params.get("sent_by")),
        },
        content_language=content_language(email.language),
    )


def waiting_list_mail(entry, kind: str) -> outbox.Mail:
    """A place in the queue ("joined") or the seat that freed ("promoted")."""
    return _to_contact(
        entry.meeting,
        entry.contact,
        key=f"waiting-list:{entry.pk}:{kind}",
        purpose=f"waiting_list_{kind}",
        renderer="meetings.waiting_list",
        params={"entry": entry.pk, "kind": kind},
    )


@outbox.renderer("meetings.waiting_list")
def waiting_list(email):
    """A place in the queue ("joined"), or the seat that freed ("promoted", with the calendar file)."""
    from meetings.models import WaitingListEntry

    entry = WaitingListEntry.objects.select_related(
        "meeting__working_group__municipality", "contact", "registration"
    ).get(pk=email.params["entry"])
    promoted = email.params["kind"] == "promoted"
    context = {
        **_meeting_context(entry.meeting),
        "contact": entry.contact,
        "entry": entry,
        "promoted": promoted,
        "link": absolute_reverse("meetings:registration_change", entry.registration.token)
        if promoted and entry.registration
        else "",
    }

    def render():
        subject = _("Du har fått en plats: %(title)s") if promoted else _("Väntelista: %(title)s")
        return subject % {"title": entry.meeting.title}, render_to_string("emails/waiting_list.txt", context)

    subject, body = _both_languages(email.language, render)
    return outbox.Rendered(subject=subject, body_text=body, attachments=[_ics(entry.meeting)] if promoted else [])


# Mail to instructors about their meetings, each with the meeting as an .ics attachment.
def _subject(kind: str, meeting: Meeting) -> str:
    subjects = {
        "assigned": _("Du är instruktör: %(title)s"),
        "moved": _("Ändrat möte: %(title)s"),
        "cancelled": _("Inställt möte: %(title)s"),
        "removed": _("Du är inte längre instruktör: %(title)s"),
    }
    return subjects.get(kind, subjects["assigned"]) % {"title": meeting.title}


def instructor_schedule_mail(meeting: Meeting, user, kind: str) -> outbox.Mail:
    """One calendar mail to an instructor; the key holds the sequence so each version goes once."""
    return outbox.Mail(
        key=f"meeting-instructor:{meeting.pk}:{user.pk}:{meeting.sequence}:{kind}",
        to=user.email,
        purpose=f"meeting_instructor_{kind}",
        renderer="meetings.instructor_schedule",
        params={"meeting": meeting.pk, "user": user.pk, "kind": kind},
        language=user.language or "sv",
        municipality_id=meeting.working_group.municipality_id,
        about=meeting,
    )


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
        "answer_url": absolute_url(meeting.get_absolute_url() + "#ditt-svar"),
    }
    return outbox.Rendered(
        subject=_subject(kind, meeting),
        body_text=render_to_string("emails/meeting_instructor.txt", context),
        attachments=[("mote.ics", ics, f"text/calendar; method={method}; charset=utf-8")],
        headers=answered_by(meeting),
    )


def instructor_declined_mail(meeting: Meeting, person, instructor_id: int) -> outbox.Mail:
    """To the meeting's contact person: an instructor cannot come."""
    return outbox.Mail(
        key=f"instructor-declined:{meeting.pk}:{instructor_id}:{meeting.sequence}",
        to=person.email,
        purpose="instructor_declined",
        renderer="meetings.instructor_declined",
        params={"meeting": meeting.pk, "instructor": instructor_id},
        language=person.language or "sv",
        municipality_id=meeting.working_group.municipality_id,
        about=meeting,
    )


@outbox.renderer("meetings.instructor_declined")
def instructor_declined(email):
    meeting = Meeting.objects.select_related("working_group__municipality").get(pk=email.params["meeting"])
    instructor = User.objects.get(pk=email.params["instructor"])
    context = {"meeting": meeting, "instructor": instructor, "meeting_url": absolute_url(meeting.get_absolute_url())}
    return outbox.Rendered(
        subject=_("%(name)s kan inte komma: %(title)s") % {"name": instructor.name, "title": meeting.title},
        body_text=render_to_string("emails/instructor_declined.txt", context),
        headers={"Reply-To": instructor.email},
    )


# Mail rendered when it is queued, so that it says what was true when it was sent (the county
# minutes as sent, not as later edited): the regional manager's invitation and the county meetings.


def _rendered_now(language: str, template: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        return subject, render_to_string(f"emails/{template}.txt", context)


def regional_manager_invitation_mail(manager, sites: list) -> outbox.Mail:
    """One invitation naming the manager's sites; inviting again for the same sites sends nothing new."""
    context = {"manager": manager, "sites": sites, "link": absolute_reverse("contact:my_page")}
    subject, body = _rendered_now(manager.language, "regional_manager_invitation", context)
    return outbox.Mail(
        key=f"regional-manager-invitation:{manager.pk}:{'-'.join(str(s.pk) for s in sites)}",
        to=manager.email,
        purpose="regional_manager_invitation",
        subject=subject,
        body_text=body,
        language=manager.language,
        municipality_id=sites[0].municipality_id if sites else None,
        about=manager,
    )


def county_meeting_mail(meeting, user, *, purpose: str, version: str = "") -> outbox.Mail:
    """The invitation or the minutes of a county meeting ("county_meeting_invitation",
    "county_meeting_minutes", also the template's name), in the person's language; once per
    person, or once per ``version`` (the minutes, sent again when corrected)."""
    key = f"{purpose.replace('_', '-')}:{meeting.pk}:{user.pk}" + (f":{version}" if version else "")
    context = {"meeting": meeting, "user": user, "link": absolute_reverse("meetings:county_meeting_detail", meeting.pk)}
    language = user.language or "sv"
    subject, body = _rendered_now(language, purpose, context)
    return outbox.Mail(
        key=key, to=user.email, purpose=purpose, subject=subject, body_text=body, language=language, about=meeting
    )
