from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import outreach
from meetings.models import Contact, Invitation, Registration
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(meeting_sundsvall, contact_sundsvall):
    return Invitation.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)


def people_data(*people, join=False):
    data = {"people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "3", "people-MAX_NUM_FORMS": "10"}
    for i in range(3):
        name, email, diet = people[i] if i < len(people) else ("", "", "")
        data.update({f"people-{i}-name": name, f"people-{i}-email": email, f"people-{i}-dietary_needs": diet})
    if join:
        data["join_network"] = "on"
    return data


def register(client, invitation, *people, join=False, capture=None):
    url = reverse("meetings:registration", args=[invitation.token])
    return client.post(url, people_data(*people, join=join))


def test_the_link_shows_the_meeting_and_a_form_prefilled_for_the_invited_person(client, invitation):
    page = client.get(reverse("meetings:registration", args=[invitation.token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert invitation.meeting.title in html and "Stadshuset" in html
    assert 'value="sara@ombud.example"' in html
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_two_people_from_the_workplace_register_and_each_gets_a_confirmation_with_ics(
    client, invitation, site_sundsvall, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, invitation, ("Sara Östlund", "sara@ombud.example", "Vegetarisk"),
                            ("Nils Kollega", "Nils@Ombud.example", ""), join=True)
    assert response.status_code == 302
    registrations = Registration.objects.filter(meeting=invitation.meeting)
    assert sorted(r.contact.email for r in registrations) == ["nils@ombud.example", "sara@ombud.example"]
    nils = Contact.objects.get(email="nils@ombud.example")
    assert nils.site == site_sundsvall and nils.in_network
    assert registrations.get(contact__email="sara@ombud.example").dietary_needs == "Vegetarisk"
    assert sorted(m.to[0] for m in mail.outbox) == ["nils@ombud.example", "sara@ombud.example"]
    for message in mail.outbox:
        assert any(name == "mote.ics" for name, _content, _type in message.attachments)
        registration = registrations.get(contact__email=message.to[0])
        assert reverse("meetings:registration_change", args=[registration.token]) in message.body


def test_without_consent_nobody_joins_the_network(client, invitation):
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""))
    assert not Contact.objects.get(email="sara@ombud.example").in_network


def test_registering_again_updates_and_does_not_duplicate(client, invitation):
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""))
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", "Glutenfri"))
    registration = Registration.objects.get()
    assert registration.dietary_needs == "Glutenfri"
    assert Contact.objects.filter(email="sara@ombud.example").count() == 1


def test_an_empty_form_asks_for_at_least_one_person(client, invitation):
    page = register(client, invitation)
    assert page.status_code == 200 and "minst en person" in page.content.decode()
    assert not Registration.objects.exists()


def test_a_name_without_e_mail_is_explained(client, invitation):
    page = register(client, invitation, ("Nils", "", ""))
    assert "Ange personens e-postadress" in page.content.decode()


def test_a_full_meeting_says_so_and_registers_nobody(client, invitation, make_contact, site_sundsvall):
    meeting = invitation.meeting
    meeting.capacity = 2
    meeting.save()
    Registration.objects.create(meeting=meeting, contact=make_contact(site_sundsvall))
    page = register(client, invitation, ("A", "a@ombud.example", ""), ("B", "b@ombud.example", ""), )
    html = page.content.decode()
    assert "bara 1 platser kvar" in html
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert not OutboundEmail.objects.exists()
    register(client, invitation, ("A", "a@ombud.example", ""))
    assert Registration.objects.filter(meeting=meeting).count() == 2


def test_after_the_deadline_the_page_says_so_and_takes_no_registration(client, invitation):
    meeting = invitation.meeting
    meeting.registration_deadline = timezone.now() - timedelta(hours=1)
    meeting.save()
    page = client.get(reverse("meetings:registration", args=[invitation.token]))
    assert "Sista anmälningsdag var" in page.content.decode() and "<form method=\"post\" novalidate" not in page.content.decode()
    register(client, invitation, ("Sara", "sara@ombud.example", ""))
    assert not Registration.objects.exists()
    with pytest.raises(outreach.RegistrationClosed):
        outreach.registrations_create(invitation=invitation, people=[{"name": "S", "email": "s@o.example"}], join_network=False)


def test_a_cancelled_meeting_takes_no_registration(client, invitation):
    invitation.meeting.status = "cancelled"
    invitation.meeting.save()
    assert "Mötet är inställt" in client.get(reverse("meetings:registration", args=[invitation.token])).content.decode()


def test_the_token_opens_only_its_own_invitation(client, invitation, meeting_harnosand, contact_harnosand):
    other = Invitation.objects.create(meeting=meeting_harnosand, contact=contact_harnosand)
    page = client.get(reverse("meetings:registration", args=[invitation.token])).content.decode()
    assert meeting_harnosand.title not in page and "hakan@ombud.example" not in page
    register(client, invitation, ("Sara", "sara@ombud.example", ""))
    assert not Registration.objects.filter(meeting=other.meeting).exists()


def test_the_change_link_changes_dietary_needs_and_cancels(client, invitation, django_capture_on_commit_callbacks):
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""))
    registration = Registration.objects.get()
    url = reverse("meetings:registration_change", args=[registration.token])
    assert "Avboka min plats" in client.get(url).content.decode()
    client.post(url, {"action": "save", "dietary_needs": "Vegansk"})
    registration.refresh_from_db()
    assert registration.dietary_needs == "Vegansk"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Avbokad" in mail.outbox[-1].subject
    assert "avbokad" in client.get(url).content.decode()


def test_a_cancelled_seat_can_be_taken_by_someone_else(client, invitation, make_contact, site_sundsvall):
    meeting = invitation.meeting
    meeting.capacity = 1
    meeting.save()
    register(client, invitation, ("Sara", "sara@ombud.example", ""))
    outreach.registration_cancel(registration=Registration.objects.get())
    register(client, invitation, ("Nils", "nils@ombud.example", ""))
    assert Registration.objects.filter(meeting=meeting).active().get().contact.email == "nils@ombud.example"
