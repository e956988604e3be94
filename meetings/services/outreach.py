"""Reaching the participants of a meeting: invitations, registrations, reminders,
attendance, decals handed out and minutes. Every mail goes through the outbox in the
transaction that causes it, under a key that makes a repeated call send nothing twice.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from api import webhooks
from meetings import emails
from meetings.models import (
    MAX_REMINDER_DAYS,
    ChecklistItem,
    Contact,
    Invitation,
    Meeting,
    Minutes,
    Registration,
    Site,
    WaitingListEntry,
    new_token,
)
from meetings.services.sites import contact_at_site
from municipalities.models import Membership, Municipality, municipality_q
from tif_portal import outbox
from tif_portal.models import OutboundEmail


class RegistrationClosed(Exception):
    """The meeting takes no more registrations; the message says why, for the person registering."""


# Selectors -------------------------------------------------------------------


def chooser_municipalities(*, meeting: Meeting, user) -> QuerySet[Municipality]:
    """The municipalities in the group's county that the user may see."""
    return Municipality.objects.filter(
        municipality_q(user, ""), county_id=meeting.working_group.municipality.county_id
    ).order_by("name")


def invitation_recipients(
    *,
    meeting: Meeting,
    user,
    municipality: Municipality | None = None,
    company: str = "",
    kind: str = "",
    participation: str = "any",
) -> QuerySet[Contact]:
    """The people the user may invite to the meeting, filtered as in the recipient chooser:
    one contact per e-mail address (the first of that person's workplaces), however many
    sites list the address. Each has ``invited`` (someone with the address already has an
    invitation to the meeting) and ``site_count`` (workplaces in the selection with it).

    ``participation`` is "attended" (checked in at some earlier meeting), "never" or "any".
    """
    contacts = _invitable_contacts(
        meeting=meeting, user=user, municipality=municipality, company=company, kind=kind, participation=participation
    )
    same_address = contacts.filter(email=OuterRef("email"))
    return (
        contacts.filter(~Exists(same_address.filter(pk__lt=OuterRef("pk"))))
        .annotate(
            invited=Exists(Invitation.objects.filter(meeting=meeting, contact__email=OuterRef("email"))),
            site_count=Subquery(
                same_address.order_by().values("email").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
        )
        .select_related("site")
        .order_by("site__name", "name", "pk")
    )


def _invitable_contacts(*, meeting, user, municipality, company, kind, participation) -> QuerySet[Contact]:
    contacts = Contact.objects.visible_to(user).filter(
        erased_at__isnull=True,
        site__municipality__county_id=meeting.working_group.municipality.county_id,
    )
    if municipality is not None:
        contacts = contacts.filter(site__municipality=municipality)
    if company:
        contacts = contacts.filter(site__company__iexact=company)
    if kind:
        contacts = contacts.filter(site__kind=kind)
    attended = Registration.objects.filter(contact=OuterRef("pk"), checked_in_at__isnull=False).exclude(
        meeting=meeting
    )
    if participation == "attended":
        contacts = contacts.filter(Exists(attended))
    elif participation == "never":
        contacts = contacts.filter(~Exists(attended))
    return contacts


def meeting_outbox(meeting: Meeting) -> QuerySet[OutboundEmail]:
    """Every mail about this meeting, newest first (uses the outbox's about index)."""
    return OutboundEmail.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk
    ).order_by("-created_at", "-id")


# Invitations -----------------------------------------------------------------


@transaction.atomic
def invitations_send(*, meeting: Meeting, contacts: Iterable[Contact], sent_by) -> str:
    """Create an invitation with a personal link per e-mail address and queue its mail;
    a cancelled meeting raises InvitationsNotSent.

    Returns the batch id for the progress page. A person listed at several workplaces
    (one address, several contacts) gets one invitation, for the first of them; an
    address already invited to the meeting gets nothing new. The meeting row is locked,
    so two rounds sent at once cannot both invite the same address.
    """
    batch = uuid.uuid4().hex
    # Read under the lock: a meeting cancelled while the round was being chosen invites no one.
    status = Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("status", flat=True).first()
    if status == Meeting.Status.CANCELLED:
        raise InvitationsNotSent(_("Mötet är inställt."))
    by_address = {}
    for contact in sorted(contacts, key=lambda c: c.pk):
        by_address.setdefault(contact.email.strip().lower(), contact)
    invited = set(
        Invitation.objects.filter(meeting=meeting, contact__email__in=list(by_address)).values_list(
            "contact__email", flat=True
        )
    )
    contacts = {c.pk: c for address, c in by_address.items() if address not in invited}
    if not contacts:
        return batch
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, contact_id=pk) for pk in contacts], ignore_conflicts=True, batch_size=1000
    )
    invitation_ids = dict(
        Invitation.objects.filter(meeting=meeting, contact_id__in=list(contacts)).values_list("contact_id", "id")
    )
    outbox.enqueue(
        emails.invitation_mail(meeting=meeting, contact=contact, invitation_id=invitation_ids[contact.pk], batch=batch)
        for contact in contacts.values()
    )
    checklist_mark_done(meeting=meeting, key="send_invitations", by=sent_by)
    return batch


# Changes that concern participants ---------------------------------------------


def change_recipients(meeting: Meeting) -> list[Contact]:
    """Everyone a move or a cancellation concerns, one per address: the registered participants
    and the invited contacts who have not given their place back."""
    registrations = Registration.objects.filter(meeting=meeting)
    given_back = registrations.filter(status=Registration.Status.CANCELLED).values("contact_id")
    contacts = (
        Contact.objects.filter(erased_at__isnull=True)
        .filter(
            Q(pk__in=registrations.active().values("contact_id"))
            | Q(pk__in=Invitation.objects.filter(meeting=meeting).exclude(contact_id__in=given_back).values("contact_id"))
        )
        .annotate(registered=Exists(registrations.active().filter(contact=OuterRef("pk"))))
        .select_related("site")
        .order_by("-registered", "name", "pk")
    )
    by_address: dict[str, Contact] = {}
    for contact in contacts:
        by_address.setdefault(contact.email.lower(), contact)
    return sorted(by_address.values(), key=lambda c: (c.name, c.pk))


def participants_tell(*, meeting: Meeting, kind: str) -> int:
    """Mail everyone the change concerns ("moved" or "cancelled") with the calendar file of this
    version of the meeting; the key holds the sequence, so each version reaches each address once."""
    return outbox.enqueue(
        emails.meeting_changed_mail(meeting=meeting, contact=contact, kind=kind) for contact in change_recipients(meeting)
    )


# Registration ----------------------------------------------------------------


class InvitationsNotSent(Exception):
    """The meeting takes no invitations; the message is for the coordinator."""


class InvitationNotResent(Exception):
    """Why an invitation cannot go again; the message is for the coordinator."""


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> None:
    """Send the invitation again, to the contact's address as it is now: after it failed, or
    after the address was corrected. The same row goes again, so the outbox keeps one line per
    invitation and the delivery log keeps every attempt."""
    meeting = invitation.meeting
    if meeting.status == Meeting.Status.CANCELLED or meeting.has_started:
        raise InvitationNotResent(_("Mötet är inställt eller har redan börjat."))
    if invitation.contact.erased_at is not None:
        raise InvitationNotResent(_("Kontaktpersonens uppgifter är raderade."))
    row = OutboundEmail.objects.select_for_update().filter(key=emails.invitation_key(invitation)).first()
    if row is None:
        invitations_send(meeting=meeting, contacts=[invitation.contact], sent_by=None)
        return
    if not outbox.requeue(row, to=invitation.contact.email):
        raise InvitationNotResent(_("Inbjudan är redan på väg eller skickad till den här adressen."))


def failed_invitations(meeting: Meeting) -> QuerySet[Invitation]:
    """Invitations whose mail failed: the coordinator can correct the address and send again."""
    failed_keys = meeting_outbox(meeting).filter(purpose="invitation", state=OutboundEmail.State.FAILED).values("key")
    return (
        Invitation.objects.filter(meeting=meeting)
        # emails.invitation_key, spelt in SQL so the outbox can be joined in one query.
        .annotate(key=Concat(Value("invitation:"), "meeting_id", Value(":"), "contact_id", output_field=CharField()))
        .filter(key__in=failed_keys)
        .select_related("contact__site", "meeting")
    )


def contact_invitations(contact: Contact) -> list[tuple[Invitation, OutboundEmail | None]]:
    """The contact's invitations, newest meeting first, each with its mail (None before it is written)."""
    invitations = list(contact.invitations.select_related("meeting").order_by("-meeting__starts_at"))
    mails = OutboundEmail.objects.in_bulk([emails.invitation_key(i) for i in invitations], field_name="key")
    return [(invitation, mails.get(emails.invitation_key(invitation))) for invitation in invitations]


@transaction.atomic
def failed_invitations_resend(*, meeting: Meeting) -> int:
    """Send every failed invitation of the meeting again, to the addresses as they are now."""
    sent = 0
    for invitation in failed_invitations(meeting):
        try:
            invitation_resend(invitation=invitation)
        except InvitationNotResent:
            continue
        sent += 1
    return sent


def registration_open_error(meeting: Meeting, *, now=None, started_only: bool = False) -> str:
    """Why the meeting takes no registrations (or, ``started_only``, no changes to them), or "" when it does."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return _("Mötet är inställt.")
    if meeting.starts_at <= now:
        return _("Mötet har redan börjat.")
    if started_only:
        return ""
    if meeting.registration_deadline and meeting.registration_deadline < now:
        deadline = date_format(timezone.localtime(meeting.registration_deadline), "j F Y H:i")
        return _("Sista anmälningsdag var %(deadline)s.") % {
            "deadline": deadline
        }
    return ""


@dataclass
class Registered:
    """What a registration from the invitation link did, person by person."""

    registrations: list = field(default_factory=list)  # new seats, each with a confirmation on its way
    updated: list = field(default_factory=list)  # already registered: details updated, no new mail
    waiting: list = field(default_factory=list)  # the meeting is full: in the queue


def _workplace_contact(*, site: Site, person: dict, language: str) -> Contact:
    """The person's contact at the workplace (one per e-mail address), made or brought up to date."""
    contact, created = contact_at_site(site=site, email=person["email"], name=person["name"], language=language)
    if not created and (contact.name != person["name"] or contact.erased_at):
        contact.name = person["name"]
        contact.erased_at = None
        contact.save(update_fields=["name", "erased_at"])
    return contact


def seats_left(meeting: Meeting) -> int | None:
    """Free seats (None: no limit); one query."""
    if meeting.capacity is None:
        return None
    return max(meeting.capacity - Registration.objects.filter(meeting=meeting).active().count(), 0)


@transaction.atomic
def registrations_create(
    *, invitation: Invitation, people: list[dict], join_network: bool, waiting_list: bool = False
) -> Registered:
    """Register people from the invited contact's workplace; each new seat gets a confirmation mail.

    ``people`` are dicts with name, email and dietary_needs. Someone already registered is
    updated, never cleared (an empty dietary field keeps what was entered before) and gets
    no second confirmation. When the seats run out the request is refused, or, with
    ``waiting_list``, those without a seat are put in the meeting's queue. The meeting row
    is locked so that two registrations at once cannot both take the last seat.
    """
    meeting = Meeting.objects.select_for_update().select_related("working_group").get(pk=invitation.meeting_id)
    error = registration_open_error(meeting)
    if error:
        raise RegistrationClosed(error)
    site = invitation.contact.site
    inviter = invitation.contact
    result = Registered()
    needing_seats = []
    for person in people:
        contact = _workplace_contact(site=site, person=person, language=inviter.language)
        dietary_needs = person.get("dietary_needs", "").strip()
        registration = Registration.objects.filter(meeting=meeting, contact=contact).first()
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            if dietary_needs and dietary_needs != registration.dietary_needs:
                registration.dietary_needs = dietary_needs
                registration.save(update_fields=["dietary_needs"])
            result.updated.append(registration)
        else:
            needing_seats.append((contact, registration, dietary_needs))
        if join_network:
            from meetings.services.network import network_join

            network_join(contact=contact, method="registration", given_by=inviter)
    left = seats_left(meeting)
    if left is not None and len(needing_seats) > left and not waiting_list:
        raise RegistrationClosed(
            _("Det finns inga platser kvar.") if left == 0
            else ngettext("Det finns bara %(left)s plats kvar.", "Det finns bara %(left)s platser kvar.", left) % {"left": left}
        )
    seated = needing_seats if left is None else needing_seats[:left]
    for contact, registration, dietary_needs in seated:
        if registration is None:
            registration = Registration(meeting=meeting, contact=contact, registered_by=inviter)
        registration.status = Registration.Status.REGISTERED
        registration.dietary_needs = dietary_needs or registration.dietary_needs
        registration.save()
        for entry in WaitingListEntry.objects.waiting().filter(meeting=meeting, contact=contact):
            entry.withdrawn_at = timezone.now()
            entry.save(update_fields=["withdrawn_at"])
        registration.meeting = meeting
        result.registrations.append(registration)
    for contact, _registration, dietary_needs in needing_seats[len(seated):]:
        result.waiting.append(
            _waiting_list_join(meeting=meeting, contact=contact, dietary_needs=dietary_needs, registered_by=inviter)
        )
    outbox.enqueue(
        emails.registration_confirmation_mail(registration)
        for registration in result.registrations
    )
    webhooks.registrations_created(result.registrations)
    return result


def _waiting_list_join(*, meeting: Meeting, contact: Contact, dietary_needs: str, registered_by) -> WaitingListEntry:
    entry = WaitingListEntry.objects.waiting().filter(meeting=meeting, contact=contact).first()
    if entry is not None:
        if dietary_needs and dietary_needs != entry.dietary_needs:
            entry.dietary_needs = dietary_needs
            entry.save(update_fields=["dietary_needs"])
        return entry
    entry = WaitingListEntry.objects.create(
        meeting=meeting, contact=contact, dietary_needs=dietary_needs, registered_by=registered_by
    )
    outbox.enqueue([emails.waiting_list_mail(entry, "joined")])
    return entry


def waiting_list_promote(*, meeting: Meeting) -> list[Registration]:
    """Give free seats to the first in the meeting's queue, each told by mail.

    The caller holds the meeting row's lock (a cancellation does), so two seats freed at
    once go to the first and the second in line, never both to the first.
    """
    if meeting.status == Meeting.Status.CANCELLED or meeting.has_started:
        return []
    left = seats_left(meeting)
    entries = WaitingListEntry.objects.waiting().filter(meeting=meeting).select_related("contact")
    entries = list(entries if left is None else entries[:left])
    promoted, mails = [], []
    for entry in entries:
        registration = Registration.objects.filter(meeting=meeting, contact=entry.contact).first()
        if registration is None:
            registration = Registration(meeting=meeting, contact=entry.contact, registered_by=entry.registered_by)
        registration.status = Registration.Status.REGISTERED
        registration.dietary_needs = entry.dietary_needs or registration.dietary_needs
        registration.save()
        entry.promoted_at = timezone.now()
        entry.registration = registration
        entry.save(update_fields=["promoted_at", "registration"])
        entry.meeting = meeting
        promoted.append(registration)
        mails.append(emails.waiting_list_mail(entry, "promoted"))
    outbox.enqueue(mails)
    webhooks.registrations_created(promoted)
    return promoted


@transaction.atomic
def waiting_list_withdraw(*, entry: WaitingListEntry) -> WaitingListEntry:
    """Leave the queue; leaving twice changes nothing."""
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.promoted_at is None and entry.withdrawn_at is None:
        entry.withdrawn_at = timezone.now()
        entry.save(update_fields=["withdrawn_at"])
    return entry


class RegistrationConflict(Exception):
    """The change cannot be made as asked; the message says why, for the person changing it."""


@transaction.atomic
def registration_person_update(*, registration: Registration, name: str, email: str, dietary_needs: str) -> Registration:
    """Change who a registration is for (name, e-mail) and their dietary needs, from the workplace's page.

    A new e-mail address is another person: the registration moves to that contact (made
    when needed), gets a new personal link and a confirmation goes to the new address.
    """
    Meeting.objects.select_for_update().filter(pk=registration.meeting_id).values_list("pk").first()
    registration = Registration.objects.select_for_update(of=("self",)).select_related(
        "contact__site", "meeting__working_group"
    ).get(pk=registration.pk)
    email = email.strip().lower()
    contact = registration.contact
    if email != contact.email:
        other = _workplace_contact(site=contact.site, person={"name": name, "email": email}, language=contact.language)
        taken = Registration.objects.filter(meeting=registration.meeting, contact=other).first()
        if taken is not None and taken.status != Registration.Status.CANCELLED:
            raise RegistrationConflict(_("%(email)s är redan anmäld till mötet.") % {"email": email})
        if taken is not None:
            # The new address cancelled earlier: its own registration comes back instead.
            registration.status = Registration.Status.CANCELLED
            registration.save(update_fields=["status"])
            registration, taken.status = taken, Registration.Status.REGISTERED
        registration.contact = other
        registration.token = new_token()
        registration.dietary_needs = dietary_needs.strip()
        registration.save()
        registration.meeting = Meeting.objects.select_related("working_group").get(pk=registration.meeting_id)
        outbox.enqueue([emails.registration_confirmation_mail(registration)])
        return registration
    if contact.name != name:
        contact.name = name
        contact.save(update_fields=["name"])
    if registration.dietary_needs != dietary_needs.strip():
        registration.dietary_needs = dietary_needs.strip()
        registration.save(update_fields=["dietary_needs"])
    return registration


@transaction.atomic
def registration_change(*, registration: Registration, dietary_needs: str) -> Registration:
    registration.dietary_needs = dietary_needs
    registration.save(update_fields=["dietary_needs"])
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """Give the seat back; the person gets a mail saying so, and the first on the waiting list gets the seat.

    The meeting row is locked first, as a registration does, so two cancellations at once
    hand their seats to two different people in the queue.
    """
    meeting = Meeting.objects.select_for_update().select_related("working_group").get(pk=registration.meeting_id)
    status = Registration.objects.select_for_update().filter(pk=registration.pk).values_list("status", flat=True).get()
    if status == Registration.Status.CANCELLED:
        registration.status = status
        return registration
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    outbox.enqueue([emails.registration_confirmation_mail(registration)])
    waiting_list_promote(meeting=meeting)
    return registration


@transaction.atomic
def reminders_send(*, now=None) -> int:
    """Queue a reminder for registrations of meetings that start within their reminder time
    (``Meeting.reminder_days_before``, two days unless the coordinator chose otherwise).

    Reads the database, so it can run any number of times: ``reminder_sent_at`` and
    the key ``reminder:<id>`` make the second run send nothing. A meeting set to 0 days
    sends no reminder.
    """
    now = now or timezone.now()
    candidates = (
        Registration.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            reminder_sent_at__isnull=True,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + timedelta(days=MAX_REMINDER_DAYS),
            meeting__reminder_days_before__gt=0,
            contact__erased_at__isnull=True,
        )
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("contact", "meeting__working_group")
    )
    due = [r for r in candidates if r.meeting.starts_at - timedelta(days=r.meeting.reminder_days_before) <= now]
    if not due:
        return 0
    outbox.enqueue(emails.registration_reminder_mail(registration) for registration in due)
    Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminder_sent_at=now)
    return len(due)


# On the day ------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[int], recorded_by=None) -> int:
    """Tick the registrations in ``present`` as there and untick the others; returns how many are there.

    Only the rows that change are written, each with a history record naming ``recorded_by``."""
    present = set(present)
    now = timezone.now()
    changed = []
    for registration in Registration.objects.filter(meeting=meeting).active().select_for_update():
        there = registration.pk in present
        if there != (registration.checked_in_at is not None):
            registration.checked_in_at = now if there else None
            changed.append(registration)
    if changed:
        bulk_update_with_history(changed, Registration, ["checked_in_at"], default_user=recorded_by)
    from followup import dashboard  # the county's figures count attendance

    dashboard.figures_changed()
    return Registration.objects.filter(meeting=meeting).active().filter(checked_in_at__isnull=False).count()


@transaction.atomic
def walk_in_add(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    site: Site | None = None,
    new_site: dict | None = None,
    join_network: bool = False,
    recorded_by=None,
) -> Registration:
    """Someone came without registering: record them, at an existing or a new workplace.

    With ``join_network`` they said yes to the local network at the meeting; the consent is
    recorded with the coordinator who wrote it down (``recorded_by``) and the time.
    """
    if site is None:
        site = Site.objects.create(municipality=meeting.working_group.municipality, **new_site)
    contact, _new = contact_at_site(site=site, email=email, name=name)
    registration, created = Registration.objects.get_or_create(
        meeting=meeting,
        contact=contact,
        defaults={"status": Registration.Status.WALK_IN, "checked_in_at": timezone.now()},
    )
    if not created:
        if registration.status == Registration.Status.CANCELLED:
            registration.status = Registration.Status.WALK_IN
        registration.checked_in_at = registration.checked_in_at or timezone.now()
        registration.save(update_fields=["status", "checked_in_at"])
    if join_network:
        from meetings.services.network import network_join

        network_join(
            contact=contact, method="walk_in", recorded_by=recorded_by,
            note=_("På mötet %(meeting)s") % {"meeting": meeting.title},
        )
    return registration


def attendance_sites(meeting: Meeting) -> QuerySet[Site]:
    """Workplaces for walk-ins and decals: the group's municipality's sites."""
    return Site.objects.filter(municipality_id=meeting.working_group.municipality_id).order_by("name")


# At most this many search hits in the workplace picker; a longer search narrows them.
SITE_SEARCH_LIMIT = 25


def attendance_site_choices(meeting: Meeting, search: str = "", keep: Iterable[int] = ()) -> list[tuple[int, str]]:
    """What the attendance page's workplace pickers offer: the workplaces of the meeting's
    participants (who get the decals and bring colleagues), and the municipality's workplaces
    matching ``search`` (name, street or company), and those in ``keep`` (a choice already
    made in a form shown again). A municipality has hundreds of workplaces:
    listing them all made the page slow and the list unusable. One query."""
    sites = attendance_sites(meeting)
    wanted = Q(pk__in=Registration.objects.filter(meeting=meeting).active().values("contact__site_id")) | Q(pk__in=keep)
    if meeting.site_id:
        wanted |= Q(pk=meeting.site_id)  # a workplace meeting's own site
    search = search.strip()
    if search:
        matching = sites.filter(Q(name__icontains=search) | Q(street__icontains=search) | Q(company__icontains=search))
        wanted |= Q(pk__in=matching.values("pk")[:SITE_SEARCH_LIMIT])
    return [(pk, f"{name} ({company}), {street}") for pk, name, company, street in
            sites.filter(wanted).values_list("pk", "name", "company", "street")]


# Minutes ---------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, written_by) -> Minutes:
    minutes, _created = Minutes.objects.update_or_create(
        meeting=meeting, defaults={"text": text, "written_by": written_by}
    )
    return minutes


class MinutesNotSent(Exception):
    """Why the minutes cannot go out yet; the message is for the coordinator."""


def minutes_recipients(meeting: Meeting) -> dict[str, tuple[str, str]]:
    """E-mail → (name, language) of everyone who gets the minutes: the participants who were
    there, the instructors (police and customs) and the working group."""
    recipients = {}
    people = [
        *Membership.objects.filter(working_group_id=meeting.working_group_id).values_list("user__email", "user__name", "user__language"),
        *meeting.instructor_links.values_list("user__email", "user__name", "user__language"),
        *Registration.objects.filter(meeting=meeting, checked_in_at__isnull=False, contact__erased_at__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("contact__email", "contact__name", "contact__language"),
    ]
    for email, name, language in people:
        if email:
            recipients.setdefault(email.lower(), (name, language or "sv"))
    return dict(sorted(recipients.items(), key=lambda item: item[1][0]))


def minutes_send_error(meeting: Meeting, minutes: Minutes | None) -> str:
    """Why the minutes cannot be sent now, or "" when they can."""
    if minutes is None:
        return _("Skriv och spara anteckningarna först.")
    if not meeting.has_started:
        return _("Anteckningarna kan skickas först när mötet har börjat.")
    if minutes.sent_at and minutes.updated_at <= minutes.sent_at:
        return _("Den här versionen är redan skickad. Ändra anteckningarna för att skicka en rättad version.")
    return ""


@transaction.atomic
def minutes_send(*, meeting: Meeting, sent_by) -> int:
    """Send this version of the minutes to everyone in ``minutes_recipients``, each in their
    language; a corrected text goes out again, to everyone, as the next version. Returns how
    many mails were queued."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    error = minutes_send_error(meeting, minutes)
    if error:
        raise MinutesNotSent(error)
    version = minutes.version + 1
    created = outbox.enqueue(
        emails.minutes_mail(meeting=meeting, version=version, email=email, language=language)
        for email, (_name, language) in minutes_recipients(meeting).items()
    )
    minutes.version, minutes.sent_at = version, timezone.now()
    minutes.save(update_fields=["version", "sent_at"])
    checklist_mark_done(meeting=meeting, key="send_minutes", by=sent_by)
    return created


def checklist_mark_done(*, meeting: Meeting, key: str, by) -> None:
    """Tick a checklist step the portal did itself (invitations sent, minutes sent), in the
    step's history like a tick by hand."""
    for item in ChecklistItem.objects.filter(meeting=meeting, key=key, done_at__isnull=True):
        item.done_at, item.done_by = timezone.now(), by
        item.save(update_fields=["done_at", "done_by"])
