import json

import pytest
from django.core import mail
from django.db import connection

from accounts.contact_login import contact_link_request
from accounts.models import User
from knowledge import personal_data
from knowledge.tests.dbsearch import places_containing
from meetings.models import Contact, Registration
from meetings.services.network import network_join
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def sara(contact_sundsvall, meeting_sundsvall, django_capture_on_commit_callbacks):
    """Sara registered for a held meeting, in the network, with a phone and a signed-in account."""
    contact_sundsvall.phone = "070-111 22 33"
    contact_sundsvall.save()
    Registration.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall, dietary_needs="Glutenfri kost")
    meeting_sundsvall.status = meeting_sundsvall.Status.HELD
    meeting_sundsvall.save()
    network_join(contact=contact_sundsvall, method="my_page")
    with django_capture_on_commit_callbacks(execute=True):
        contact_link_request(email=contact_sundsvall.email)
    contact_sundsvall.refresh_from_db()
    return contact_sundsvall


def test_the_export_holds_the_contacts_data_registrations_and_mail(sara, meeting_sundsvall):
    data = personal_data.contact_data_export(user=sara.user)
    assert data["account"]["email"] == "sara@ombud.example"
    assert data["contacts"][0]["name"] == "Sara Östlund" and data["contacts"][0]["phone"] == "070-111 22 33"
    assert "token" not in data["contacts"][0]
    registrations = data["related"]["meetings.Registration"]
    assert registrations[0]["dietary_needs"] == "Glutenfri kost" and registrations[0]["meeting"] == str(
        meeting_sundsvall
    )
    assert data["mails"][0]["to"] == "sara@ombud.example"
    json.dumps(data)  # plain data only
    csv = personal_data.contact_data_csv(data)
    assert "Sara Östlund" in csv and "Glutenfri kost" in csv


def test_erasure_leaves_no_trace_of_name_or_address_and_keeps_the_count(sara, meeting_sundsvall):
    user = sara.user
    assert meeting_sundsvall.registrations.count() == 1
    if connection.vendor == "postgresql":
        before = places_containing("Sara Östlund")
        assert "meetings_contact.name" in before and "meetings_historicalcontact.name" in before
        assert "tif_portal_outboundemail.params" in before
    personal_data.contact_erase(user=user)
    sara.refresh_from_db()
    user.refresh_from_db()
    assert sara.erased_at and sara.name == "Raderad" and sara.phone == ""
    assert not user.is_active and not user.has_usable_password()
    assert not Contact.objects.in_network().exists()
    assert meeting_sundsvall.registrations.count() == 1
    assert Registration.objects.get().dietary_needs == ""
    mail_row = OutboundEmail.objects.get()
    assert mail_row.body_text == "" and mail_row.params == {} and mail_row.body_purged_at
    if connection.vendor == "postgresql":
        for needle in ["Sara Östlund", "sara@ombud.example", "070-111 22 33", "Glutenfri"]:
            assert places_containing(needle) == [], needle


def test_erasure_also_clears_decal_orders_through_the_registry(sara):
    from django.apps import apps

    try:
        DecalOrder = apps.get_model("decals", "DecalOrder")
    except LookupError:
        pytest.skip("no decal orders")
    order = DecalOrder.objects.create(
        site=sara.site,
        contact=sara,
        quantity=2,
        delivery_name="Sara Östlund",
        delivery_street="Storgatan 1",
        delivery_postal_code="852 30",
        delivery_city="Sundsvall",
        note="Ring Sara Östlund",
    )
    personal_data.contact_erase(user=sara.user)
    order.refresh_from_db()
    assert order.delivery_name == "Raderad" and order.note == ""
    assert not order.history.filter(delivery_name="Sara Östlund").exists()


def test_only_agent_contacts_erase_themselves_here(anna_sundsvall):
    with pytest.raises(ValueError):
        personal_data.contact_erase(user=anna_sundsvall)


def test_a_new_invitation_after_erasure_starts_afresh(sara, site_sundsvall, make_contact):
    personal_data.contact_erase(user=sara.user)
    again = make_contact(site_sundsvall, name="Sara Östlund", email="sara@ombud.example")
    assert contact_link_request(email=again.email)
    assert User.objects.get(email="sara@ombud.example").is_active


def test_leaving_the_network_stops_network_news(
    sara, group_sundsvall, anna_sundsvall, django_capture_on_commit_callbacks
):
    personal_data.contact_leave_network(user=sara.user)
    assert not Contact.objects.in_network().filter(pk=sara.pk).exists()
    try:
        from meetings.services.network import network_news_send
    except ImportError:
        return
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        network_news_send(
            working_group=group_sundsvall, subject="Nytt från nätverket", text="Hej", sent_by=anna_sundsvall
        )
    assert not [m for m in mail.outbox if "sara@ombud.example" in m.to]


def test_the_export_holds_no_colleagues_data(sara, meeting_sundsvall, make_contact):
    colleague = make_contact(sara.site, name="Kollega Berg", email="kollega@ombud.example")
    Registration.objects.create(
        meeting=meeting_sundsvall, contact=colleague, registered_by=sara, dietary_needs="Nötallergi"
    )
    data = json.dumps(personal_data.contact_data_export(user=sara.user), ensure_ascii=False)
    assert "Kollega Berg" not in data and "Nötallergi" not in data
    assert "Glutenfri kost" in data
