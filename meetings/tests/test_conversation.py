"""The meeting as a conversation: answers reach the contact person, a failed invitation goes
again after the address is corrected, instructors answer in the portal, participants see what
changed, and the invitation mail says what the coordinator wrote."""

import email
import email.policy
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Invitation
from meetings.services import meetings as meeting_services
from meetings.services import outreach
from tif_portal.models import OutboundEmail
from tif_portal.outbox import delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(group_sundsvall, anna_sundsvall, per_police):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)
    return meeting_services.meeting_create(
        group=group_sundsvall, created_by=anna_sundsvall, instructors=[per_police], title="Samverkansmöte Birsta",
        starts_at=start, ends_at=start + timedelta(hours=2), place="Stadshuset",
    )


def _deliver():
    while delivery.deliver_batch():
        pass


def test_a_new_meeting_has_its_creator_as_contact_person_who_gets_the_replies(planned, anna_sundsvall, contact_sundsvall):
    assert planned.contact_person == anna_sundsvall
    outreach.invitations_send(meeting=planned, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    _deliver()
    invitation = next(m for m in mail.outbox if m.to == [contact_sundsvall.email])
    received = email.message_from_bytes(invitation.message().as_bytes(), policy=email.policy.default)
    assert received["Reply-To"] == f"Anna Åkesson <{anna_sundsvall.email}>"
    assert invitation.extra_headers["Auto-Submitted"] == "auto-generated"
    assert invitation.extra_headers["Content-Language"] == "sv"
    assert "Anna Åkesson" in invitation.body and "Sundsvalls kommun" in invitation.body


def test_sending_invitations_ticks_the_checklist_step(planned, anna_sundsvall, contact_sundsvall):
    outreach.invitations_send(meeting=planned, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    step = planned.checklist.get(key="send_invitations")
    assert step.done_at is not None and step.done_by == anna_sundsvall


def test_the_invitation_mail_says_what_the_coordinator_wrote(planned, anna_sundsvall, contact_sundsvall, client):
    client.force_login(anna_sundsvall)
    text = "Välkomna till ett möte om paket i Birsta.\n\nVi bjuder på kaffe."
    client.post(reverse("meetings:invitation_text_edit", args=[planned.pk]), {"invitation_text": text})
    outreach.invitations_send(meeting=planned, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    _deliver()
    body = next(m for m in mail.outbox if m.to == [contact_sundsvall.email]).body
    assert "Välkomna till ett möte om paket i Birsta." in body and "Vi bjuder på kaffe." in body
    assert "Polisen och" not in body, "the standard wording gives way to the coordinator's"


def test_the_standard_wording_names_the_municipality_properly_and_customs_only_when_customs_comes(
    planned, tove_customs, anna_sundsvall
):
    from meetings.pdf import invitation_default_text

    assert invitation_default_text(planned).startswith("Polisen och Sundsvalls kommun bjuder in")
    assert "Tullverket" not in invitation_default_text(planned)
    meeting_services.meeting_update(meeting=planned, updated_by=anna_sundsvall, instructors=[*planned.instructors.all(), tove_customs])
    assert invitation_default_text(planned).startswith("Polisen, Tullverket och Sundsvalls kommun bjuder in")


def test_a_failed_invitation_goes_again_to_the_corrected_address(
    planned, anna_sundsvall, contact_sundsvall, client, deliver_by_smtp
):
    deliver_by_smtp.replies[contact_sundsvall.email] = "550 5.1.1 No such user"
    outreach.invitations_send(meeting=planned, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    _deliver()
    row = OutboundEmail.objects.get(purpose="invitation")
    assert row.state == OutboundEmail.State.FAILED
    client.force_login(anna_sundsvall)
    assert "1 inbjudan kom inte fram" in client.get(planned.get_absolute_url()).content.decode()
    outbox_page = client.get(reverse("meetings:meeting_outbox", args=[planned.pk])).content.decode()
    invitation = Invitation.objects.get(meeting=planned)
    resend = reverse("meetings:invitation_resend", args=[planned.pk, invitation.pk])
    assert resend in outbox_page

    # The coordinator corrects the address on the contact's page and sends again from there.
    client.post(reverse("meetings:contact_update", args=[contact_sundsvall.pk]),
                {"name": contact_sundsvall.name, "email": "sara.ostlund@ombud.example", "phone": "", "language": "sv"})
    contact_page = client.get(reverse("meetings:contact_detail", args=[contact_sundsvall.pk])).content.decode()
    assert resend in contact_page and "Skicka igen till sara.ostlund@ombud.example" in contact_page
    client.post(resend, {"next": reverse("meetings:contact_detail", args=[contact_sundsvall.pk])})
    _deliver()
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.SENT and row.to == "sara.ostlund@ombud.example"
    assert [m["To"] for m in deliver_by_smtp.messages if "ombud" in m["To"]] == ["sara.ostlund@ombud.example"]
    assert row.delivery_attempts.count() == 2, "the delivery log keeps the failed attempt"

    # Sending again to the same address that already has it does nothing.
    client.post(resend)
    assert OutboundEmail.objects.get(pk=row.pk).state == OutboundEmail.State.SENT
    assert len(deliver_by_smtp.to("sara.ostlund@ombud.example")) == 1


def test_every_failed_invitation_of_a_meeting_goes_again_at_once(planned, anna_sundsvall, site_sundsvall, make_contact, client, deliver_by_smtp):
    contacts = [make_contact(site_sundsvall, email=f"fel{n}@ombud.example") for n in range(3)]
    for contact in contacts[:2]:
        deliver_by_smtp.replies[contact.email] = "550 No such user"
    outreach.invitations_send(meeting=planned, contacts=contacts, sent_by=anna_sundsvall)
    _deliver()
    deliver_by_smtp.replies.clear()
    client.force_login(anna_sundsvall)
    client.post(reverse("meetings:failed_invitations_resend", args=[planned.pk]))
    _deliver()
    delivered = sorted(str(m["To"]) for m in deliver_by_smtp.messages if "ombud" in str(m["To"]))
    assert delivered == ["fel0@ombud.example", "fel1@ombud.example", "fel2@ombud.example"]


def test_a_participant_who_gives_back_the_place_gets_a_calendar_cancellation(planned, anna_sundsvall, contact_sundsvall):
    outreach.invitations_send(meeting=planned, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    invitation = Invitation.objects.get(meeting=planned)
    [registration] = outreach.registrations_create(
        invitation=invitation, people=[{"name": "Sara", "email": contact_sundsvall.email, "dietary_needs": ""}], join_network=False).registrations
    outreach.registration_cancel(registration=registration)
    _deliver()
    cancellation = next(m for m in mail.outbox if m.subject.startswith("Avbokad"))
    [(_name, content, mimetype)] = [a for a in cancellation.attachments if a[2].startswith("text/calendar")]
    cal = icalendar.Calendar.from_ical(content)
    assert cal["METHOD"] == "CANCEL" and cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert "method=CANCEL" in mimetype


def test_the_registration_pages_and_my_page_say_plainly_that_a_meeting_moved_or_was_cancelled(
    planned, anna_sundsvall, contact_sundsvall, client
):
    outreach.invitations_send(meeting=planned, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    invitation = Invitation.objects.get(meeting=planned)
    [registration] = outreach.registrations_create(
        invitation=invitation, people=[{"name": "Sara", "email": contact_sundsvall.email, "dietary_needs": ""}], join_network=False).registrations
    meeting_services.meeting_update(meeting=planned, updated_by=anna_sundsvall, place="Kulturhuset")
    change_page = client.get(reverse("meetings:registration_change", args=[registration.token])).content.decode()
    assert "Mötet har flyttats." in change_page and "Kulturhuset" in change_page

    meeting_services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    for url in (reverse("meetings:registration", args=[invitation.token]),
                reverse("meetings:registration_change", args=[registration.token])):
        assert "Mötet är inställt." in client.get(url).content.decode()
    contact_sundsvall.user = _contact_user(contact_sundsvall)
    contact_sundsvall.save()
    client.force_login(contact_sundsvall.user)
    my_page = client.get(reverse("contact:my_page")).content.decode()
    assert "Mötet är inställt" in my_page and "Anmäld" not in my_page


def _contact_user(contact):
    from accounts.models import User

    return User.objects.create_user(contact.email, None, name=contact.name, role=User.Role.CONTACT)


def test_an_instructor_declines_and_takes_it_back_from_the_link_in_the_mail(planned, per_police, anna_sundsvall, client):
    _deliver()
    assigned = next(m for m in mail.outbox if m.to == [per_police.email])
    link = f"{django_settings.SITE_URL}{planned.get_absolute_url()}#ditt-svar"
    assert link in assigned.body
    assert assigned.extra_headers["Reply-To"].endswith(f"<{anna_sundsvall.email}>")

    client.force_login(per_police)
    page = client.get(planned.get_absolute_url()).content.decode()
    assert 'id="ditt-svar"' in page and "Jag kan inte" in page
    answer = reverse("meetings:instructor_answer", args=[planned.pk])
    client.post(answer, {"answer": "no", "next": "meeting"})
    link_row = planned.instructor_links.get()
    assert link_row.declined_at is not None and link_row.confirmed_at is None
    _deliver()
    [told] = [m for m in mail.outbox if m.to == [anna_sundsvall.email]]
    assert "Per Ström kan inte komma" in told.subject

    client.post(answer, {"answer": "withdraw"})
    link_row.refresh_from_db()
    assert link_row.declined_at is None and link_row.confirmed_at is None
    client.post(answer, {"answer": "yes"})
    assert planned.instructor_links.get().confirmed_at is not None
    client.force_login(anna_sundsvall)
    assert "Bekräftat" in client.get(planned.get_absolute_url()).content.decode()


def test_the_portal_started_on_another_port_puts_that_port_in_its_links():
    env = {k: v for k, v in os.environ.items() if k != "TIF_SITE_URL"} | {"PORT": "8001"}
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                            cwd=Path(django_settings.BASE_DIR), timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8001", result.stderr
    chosen = subprocess.run([sys.executable, "-c", probe], env=env | {"TIF_SITE_URL": "https://tif.example.se"},
                            capture_output=True, text=True, cwd=Path(django_settings.BASE_DIR), timeout=60)
    assert chosen.stdout.strip().splitlines()[-1] == "https://tif.example.se"
