from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Contact, Invitation, Registration, WaitingListEntry
from meetings.services import outreach
from tif_portal.models import OutboundEmail
from tif_portal.testing.concurrency import at_once, both_reach

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
    assert "bara 1 plats kvar" in html
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


# Registering again, changing and cancelling per person ----------------------------------


def test_registering_again_with_an_empty_dietary_field_keeps_the_first_and_sends_no_second_confirmation(
    client, invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, invitation, ("Sara Östlund", "sara@ombud.example", "Glutenfri"))
        register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""))
    registration = Registration.objects.get()
    assert registration.dietary_needs == "Glutenfri"
    assert OutboundEmail.objects.filter(purpose="registration").count() == 1
    assert len(mail.outbox) == 1


def test_the_page_lists_the_workplaces_people_with_change_and_cancel_and_names_the_contact_person(
    client, invitation, anna_sundsvall, make_contact, site_harnosand
):
    meeting = invitation.meeting
    meeting.created_by = anna_sundsvall
    meeting.save()
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", "Vegetarisk"), ("Nils Kollega", "nils@ombud.example", ""))
    other = make_contact(site_harnosand, name="Hans Annan")
    Registration.objects.create(meeting=meeting, contact=other)
    page = client.get(reverse("meetings:registration", args=[invitation.token])).content.decode()
    for registration in Registration.objects.filter(contact__site=invitation.contact.site):
        assert reverse("meetings:registration_person", args=[invitation.token, registration.pk]) in page
        assert reverse("meetings:registration_person_cancel", args=[invitation.token, registration.pk]) in page
    assert "Vegetarisk" in page and "Hans Annan" not in page
    assert "Kontaktperson: Anna Åkesson" in page and "anna@sundsvall.example" in page

    meeting.contact_person = make_contact_person()
    meeting.save()
    page = client.get(reverse("meetings:registration", args=[invitation.token])).content.decode()
    assert "Kontaktperson: Kim Kontakt" in page


def make_contact_person():
    from accounts.models import User

    return User.objects.create_user("kim@sundsvall.example", "x", name="Kim Kontakt", phone="060-19 10 00")


def test_a_person_is_changed_from_the_workplaces_page_and_a_new_address_gets_the_confirmation(
    client, invitation, django_capture_on_commit_callbacks
):
    register(client, invitation, ("Nils Kollega", "nils@ombud.example", "Vegansk"))
    registration = Registration.objects.get()
    old_token = registration.token
    url = reverse("meetings:registration_person", args=[invitation.token, registration.pk])
    assert 'value="nils@ombud.example"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Nils Nilsson", "email": "nils.nilsson@ombud.example", "dietary_needs": ""})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.contact.name, registration.contact.email, registration.dietary_needs) == (
        "Nils Nilsson", "nils.nilsson@ombud.example", "",
    )
    assert registration.token != old_token, "the old address's link no longer opens the registration"
    assert sorted(OutboundEmail.objects.filter(purpose="registration").values_list("to", flat=True)) == [
        "nils.nilsson@ombud.example", "nils@ombud.example",
    ]
    assert mail.outbox[-1].to == ["nils.nilsson@ombud.example"]


def test_changing_to_an_address_already_registered_says_so(client, invitation):
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""), ("Nils Kollega", "nils@ombud.example", ""))
    nils = Registration.objects.get(contact__email="nils@ombud.example")
    url = reverse("meetings:registration_person", args=[invitation.token, nils.pk])
    page = client.post(url, {"name": "Nils", "email": "sara@ombud.example", "dietary_needs": ""})
    assert page.status_code == 200 and "sara@ombud.example är redan anmäld" in page.content.decode()
    assert Registration.objects.active().count() == 2


def test_cancelling_a_person_asks_for_confirmation_first(client, invitation, django_capture_on_commit_callbacks):
    register(client, invitation, ("Nils Kollega", "nils@ombud.example", ""))
    registration = Registration.objects.get()
    url = reverse("meetings:registration_person_cancel", args=[invitation.token, registration.pk])
    page = client.get(url).content.decode()
    assert "Avboka Nils Kollega?" in page and "Ja, avboka" in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED, "opening the page cancels nothing"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Avbokad" in mail.outbox[-1].subject


def test_another_workplaces_registration_is_not_reachable_with_the_link(client, invitation, contact_harnosand, meeting_harnosand):
    other = Registration.objects.create(meeting=invitation.meeting, contact=contact_harnosand)
    for name in ("meetings:registration_person", "meetings:registration_person_cancel"):
        assert client.get(reverse(name, args=[invitation.token, other.pk])).status_code == 404
        assert client.post(reverse(name, args=[invitation.token, other.pk])).status_code == 404
    assert Registration.objects.get(pk=other.pk).status == Registration.Status.REGISTERED


# Waiting list ---------------------------------------------------------------------------


def test_a_full_meeting_offers_the_waiting_list_and_a_freed_seat_goes_to_the_first_in_line_by_mail(
    client, invitation, make_contact, site_sundsvall, django_capture_on_commit_callbacks
):
    meeting = invitation.meeting
    meeting.capacity = 1
    meeting.save()
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""))
    page = client.get(reverse("meetings:registration", args=[invitation.token])).content.decode()
    assert "Mötet är fullt" in page and 'name="waiting_list"' in page
    url = reverse("meetings:registration", args=[invitation.token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**people_data(("Nils Först", "nils@ombud.example", "Laktosfri")), "waiting_list": "1"})
        client.post(url, {**people_data(("Olle Sist", "olle@ombud.example", "")), "waiting_list": "1"})
    assert [e.contact.email for e in WaitingListEntry.objects.waiting()] == ["nils@ombud.example", "olle@ombud.example"]
    page = client.get(url).content.decode()
    assert "Nils Först, plats 1 i kön" in page and "Olle Sist, plats 2 i kön" in page
    mail.outbox.clear()

    sara = Registration.objects.get(contact__email="sara@ombud.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:registration_person_cancel", args=[invitation.token, sara.pk]))
    nils = Registration.objects.get(contact__email="nils@ombud.example")
    assert nils.status == Registration.Status.REGISTERED and nils.dietary_needs == "Laktosfri"
    assert [e.contact.email for e in WaitingListEntry.objects.waiting()] == ["olle@ombud.example"]
    promoted = next(m for m in mail.outbox if m.to == ["nils@ombud.example"])
    assert "Du har fått en plats" in promoted.subject
    assert reverse("meetings:registration_change", args=[nils.token]) in promoted.body
    assert any(name == "mote.ics" for name, _content, _type in promoted.attachments)
    assert Registration.objects.filter(meeting=meeting).active().count() == 1


def test_someone_leaves_the_waiting_list_after_confirming(client, invitation):
    meeting = invitation.meeting
    meeting.capacity = 1
    meeting.save()
    register(client, invitation, ("Sara Östlund", "sara@ombud.example", ""))
    client.post(reverse("meetings:registration", args=[invitation.token]),
                {**people_data(("Nils", "nils@ombud.example", "")), "waiting_list": "1"})
    entry = WaitingListEntry.objects.get()
    url = reverse("meetings:waiting_list_leave", args=[invitation.token, entry.pk])
    assert "Ta bort Nils från väntelistan?" in client.get(url).content.decode()
    client.post(url)
    assert not WaitingListEntry.objects.waiting().exists()
    outreach.registration_cancel(registration=Registration.objects.get())
    assert not Registration.objects.active().exists(), "nobody left in line to take the seat"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_give_the_seats_to_the_first_two_in_line(
    meeting_sundsvall, site_sundsvall, make_contact, monkeypatch
):
    """Real PostgreSQL, two connections. Each cancellation pauses before handing its seat on
    until the other has got that far too (or two seconds have passed): without the meeting's
    lock both would give the seat to the first in line."""
    meeting_sundsvall.capacity = 2
    meeting_sundsvall.save()
    seated = [Registration.objects.create(meeting=meeting_sundsvall, contact=make_contact(site_sundsvall)) for _ in range(2)]
    queue = [
        WaitingListEntry.objects.create(meeting=meeting_sundsvall, contact=make_contact(site_sundsvall, email=f"ko{n}@ombud.example"))
        for n in range(3)
    ]
    reach = both_reach()
    promote = outreach.waiting_list_promote

    def promote_when_both_ready(**kwargs):
        reach()
        return promote(**kwargs)

    monkeypatch.setattr(outreach, "waiting_list_promote", promote_when_both_ready)
    outcomes = at_once(*(lambda r=r: outreach.registration_cancel(registration=r) for r in seated))
    errors = [repr(o) for o in outcomes if isinstance(o, Exception)]

    assert errors == []
    active = Registration.objects.filter(meeting=meeting_sundsvall).active()
    assert sorted(r.contact.email for r in active) == ["ko0@ombud.example", "ko1@ombud.example"]
    assert [e.contact_id for e in WaitingListEntry.objects.waiting()] == [queue[2].contact_id]
    assert sorted(OutboundEmail.objects.filter(purpose="waiting_list_promoted").values_list("to", flat=True)) == [
        "ko0@ombud.example", "ko1@ombud.example",
    ]


def test_more_seats_go_to_the_first_in_line(meeting_sundsvall, site_sundsvall, make_contact, anna_sundsvall):
    from meetings.services import meetings as meeting_services

    meeting_sundsvall.capacity = 1
    meeting_sundsvall.save()
    Registration.objects.create(meeting=meeting_sundsvall, contact=make_contact(site_sundsvall))
    queue = [WaitingListEntry.objects.create(meeting=meeting_sundsvall, contact=make_contact(site_sundsvall)) for _ in range(3)]
    meeting_services.meeting_update(meeting=meeting_sundsvall, updated_by=anna_sundsvall, capacity=3)
    assert [e.pk for e in WaitingListEntry.objects.waiting()] == [queue[2].pk]
    assert Registration.objects.filter(meeting=meeting_sundsvall).active().count() == 3
    assert OutboundEmail.objects.filter(purpose="waiting_list_promoted").count() == 2


def test_the_registration_page_keeps_its_query_count_as_the_workplace_registers_more(
    client, invitation, site_sundsvall, make_contact
):
    from tif_portal.testing.queries import assert_queries_do_not_grow

    meeting = invitation.meeting
    meeting.capacity = 100
    meeting.save()

    def add(first, last, waiting=False):
        for n in range(first, last):
            contact = make_contact(site_sundsvall, name=f"Kollega {n:02d}")
            if waiting:
                WaitingListEntry.objects.create(meeting=meeting, contact=contact)
            else:
                Registration.objects.create(meeting=meeting, contact=contact, dietary_needs="Vegansk")

    add(0, 2)
    add(2, 3, waiting=True)
    url = reverse("meetings:registration", args=[invitation.token])
    assert_queries_do_not_grow(
        client, url, grow=lambda: (add(3, 30), add(30, 40, waiting=True)), budget=14,
        shows=["Kollega 01", "Kollega 02, plats 1 i kön"], shows_after_growth=["Kollega 29", "Kollega 39, plats 11 i kön"],
    )
