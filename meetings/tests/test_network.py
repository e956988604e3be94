"""The local network: who may add someone, with the consent recorded (who, when, how), and
what leaving means for a workplace's decals."""

import pytest
from django.urls import reverse

from accounts.models import User
from meetings.models import Contact, NetworkConsent, Registration
from meetings.services.network import network_join

pytestmark = pytest.mark.django_db


def test_a_walk_in_who_says_yes_joins_the_network_with_the_coordinators_record(
    client, anna_sundsvall, meeting_sundsvall, site_sundsvall
):
    client.force_login(anna_sundsvall)
    client.post(reverse("meetings:walk_in_add", args=[meeting_sundsvall.pk]), {
        "walkin-name": "Åke Ström", "walkin-email": "ake@ombud.example", "walkin-site": site_sundsvall.pk,
        "walkin-join_network": "on",
    })
    client.post(reverse("meetings:walk_in_add", args=[meeting_sundsvall.pk]), {
        "walkin-name": "Nej Tack", "walkin-email": "nej@ombud.example", "walkin-site": site_sundsvall.pk,
    })
    ake = Contact.objects.get(email="ake@ombud.example")
    assert ake.in_network and not Contact.objects.get(email="nej@ombud.example").in_network
    consent = NetworkConsent.objects.get()
    assert (consent.contact, consent.method, consent.recorded_by) == (ake, "walk_in", anna_sundsvall)
    assert meeting_sundsvall.title in consent.note and consent.given_at is not None


def test_the_coordinator_adds_someone_to_the_network_saying_how_they_agreed(
    client, anna_sundsvall, contact_sundsvall, contact_harnosand
):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:contact_network_join", args=[contact_sundsvall.pk])
    page = client.get(contact_sundsvall.get_absolute_url()).content.decode()
    assert url in page and "Inget samtycke är registrerat" in page
    refused = client.post(url, {"note": "I telefon"})
    assert refused.status_code == 400 and "Utan samtycke läggs ingen till" in refused.content.decode()
    assert not NetworkConsent.objects.exists()

    client.post(url, {"confirm": "on", "note": "Muntligt i telefon 3 mars"})
    contact_sundsvall.refresh_from_db()
    assert contact_sundsvall.in_network
    page = client.get(contact_sundsvall.get_absolute_url()).content.decode()
    assert "Lämnat till samordnaren (Anna Åkesson)" in page and "Muntligt i telefon 3 mars" in page
    assert client.post(reverse("meetings:contact_network_join", args=[contact_harnosand.pk]),
                       {"confirm": "on", "note": "x"}).status_code == 404


def test_registering_with_the_box_ticked_records_who_ticked_it(client, meeting_sundsvall, contact_sundsvall):
    from meetings.models import Invitation
    from meetings.services import outreach

    invitation = Invitation.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    outreach.registrations_create(
        invitation=invitation, people=[{"name": "Nils Kollega", "email": "nils@ombud.example"}], join_network=True
    )
    consent = NetworkConsent.objects.get()
    assert (consent.contact.email, consent.method, consent.given_by) == ("nils@ombud.example", "registration", contact_sundsvall)


@pytest.fixture
def sara_signed_in(client, contact_sundsvall, meeting_sundsvall):
    user = User.objects.create_user(contact_sundsvall.email, None, name=contact_sundsvall.name, role=User.Role.CONTACT)
    contact_sundsvall.user = user
    contact_sundsvall.save()
    client.force_login(user)
    return contact_sundsvall


def test_mina_sidor_offers_joining_and_keeps_the_consent(client, sara_signed_in):
    page = client.get(reverse("contact:my_page")).content.decode()
    assert reverse("knowledge:network_join") in page and "Gå med i det lokala nätverket" in page
    client.post(reverse("knowledge:network_join"), {})
    sara_signed_in.refresh_from_db()
    assert not sara_signed_in.in_network, "joining needs the box ticked"
    client.post(reverse("knowledge:network_join"), {"consent": "on"})
    sara_signed_in.refresh_from_db()
    assert sara_signed_in.in_network and sara_signed_in.left_network_at is None
    consent = NetworkConsent.objects.get()
    assert (consent.method, consent.given_by) == ("my_page", sara_signed_in)
    assert "Lämna det lokala nätverket" in client.get(reverse("contact:my_page")).content.decode()


def test_leaving_from_mina_sidor_asks_first_and_says_what_it_means_for_the_workplaces_decals(
    client, sara_signed_in, make_meeting, group_sundsvall, make_contact
):
    held = make_meeting(group_sundsvall, days=-30, status="held")
    Registration.objects.create(meeting=held, contact=sara_signed_in, checked_in_at=held.starts_at)
    network_join(contact=sara_signed_in, method="my_page", given_by=sara_signed_in)
    page = client.get(reverse("knowledge:network_leave")).content.decode()
    assert "ICA Nära Sundsvall kan i dag beställa dekaler" in page and "Ja, lämna nätverket" in page
    sara_signed_in.refresh_from_db()
    assert sara_signed_in.left_network_at is None, "opening the page leaves nothing"

    colleague = make_contact(sara_signed_in.site, name="Kollega")
    network_join(contact=colleague, method="my_page", given_by=colleague)
    page = client.get(reverse("knowledge:network_leave")).content.decode()
    assert "Andra på ICA Nära Sundsvall är med i nätverket" in page

    client.post(reverse("knowledge:network_leave"))
    sara_signed_in.refresh_from_db()
    assert sara_signed_in.left_network_at is not None


def test_the_leave_link_in_a_mail_says_what_leaving_means_for_decals(client, contact_sundsvall):
    network_join(contact=contact_sundsvall, method="my_page", given_by=contact_sundsvall)
    page = client.get(reverse("meetings:network_leave", args=[contact_sundsvall.token])).content.decode()
    assert "ICA Nära Sundsvall kan inte beställa dekaler i dag heller" in page
