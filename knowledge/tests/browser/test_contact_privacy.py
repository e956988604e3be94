"""An agent contact signs in from the mailed link, downloads their data, leaves the
network and erases themselves; afterwards nothing in the database names them."""

import json
import re
import time
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from knowledge.tests.dbsearch import places_containing
from meetings.models import Contact, Meeting, Registration
from meetings.services.network import network_join, network_news_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Sara Östlund"
EMAIL = "sara@ombud.example"


def _wait_for_mail(sink, address, count=1, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = sink.to(address)
        if len(messages) >= count:
            return messages
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address}")


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


@pytest.fixture
def sara_at_a_held_meeting(contact_sundsvall, make_meeting, group_sundsvall):
    start = timezone.now() - timedelta(days=20)
    meeting = make_meeting(
        group_sundsvall, days=-20, status=Meeting.Status.HELD, registration_deadline=start - timedelta(days=2)
    )
    contact_sundsvall.phone = "070-111 22 33"
    contact_sundsvall.save()
    Registration.objects.create(meeting=meeting, contact=contact_sundsvall, dietary_needs="Glutenfri kost")
    network_join(contact=contact_sundsvall, method="my_page")
    return meeting


def test_contact_signs_in_downloads_leaves_the_network_and_is_erased(
    page, live_server, deliver_by_smtp, sara_at_a_held_meeting, anna_sundsvall, group_sundsvall, tmp_path
):
    sink = deliver_by_smtp
    meeting = sara_at_a_held_meeting
    participants = meeting.registrations.active().count()

    # Ask for a link and open it from the delivered mail.
    page.goto("/mina-sidor/")
    page.get_by_label("Din e-postadress").fill(EMAIL)
    page.get_by_role("button", name="Skicka länk").click()
    message = _wait_for_mail(sink, EMAIL)[0]
    link = re.search(r"https?://\S+", _body(message)).group(0)
    parts = urlparse(link)
    page.goto(f"{parts.path}?{parts.query}")
    page.get_by_role("button", name="Öppna Mina sidor").click()
    page.wait_for_load_state()

    # The own page: registrations, local contacts, network, personal data.
    expect(page.get_by_role("heading", name="Dina anmälningar")).to_be_visible()
    assert meeting.title in page.content()
    expect(page.get_by_role("heading", name="Lokala kontakter för din arbetsplats")).to_be_visible()

    # See and download everything held about them.
    page.get_by_role("link", name="Se alla uppgifter vi har om dig").click()
    expect(page.locator("main")).to_contain_text("Glutenfri kost")
    assert NAME in page.content() and "Glutenfri kost" in page.content()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="JSON").click()
    path = tmp_path / "data.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert data["contacts"][0]["name"] == NAME and data["contacts"][0]["phone"] == "070-111 22 33"
    assert data["related"]["meetings.Registration"][0]["dietary_needs"] == "Glutenfri kost"
    assert any(m["purpose"] == "contact_link" for m in data["mails"])
    with page.expect_download() as csv_info:
        page.get_by_role("link", name="CSV").click()
    csv_path = tmp_path / "data.csv"
    csv_info.value.save_as(csv_path)
    assert NAME in csv_path.read_text(encoding="utf-8")

    # Leave the network: news to the network no longer reaches them.
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Lämna det lokala nätverket").click()
    expect(page.locator("main")).to_contain_text("Vad det betyder för dekalerna")  # asked first, with what it means
    page.get_by_role("button", name="Ja, lämna nätverket").click()
    expect(page.locator("main")).to_contain_text("Du har lämnat det lokala nätverket")
    assert not Contact.objects.in_network().filter(email=EMAIL).exists()
    sink.clear()
    network_join(contact=_another_member(group_sundsvall), method="my_page")
    network_news_send(working_group=group_sundsvall, subject="Nytt från nätverket", text="Hej alla", sent_by=anna_sundsvall)
    _wait_for_mail(sink, "kollega@ombud.example")
    assert sink.to(EMAIL) == []

    # Erase: a confirm page, then a POST.
    page.get_by_role("link", name="Radera dina uppgifter").first.click()
    page.get_by_label("Jag förstår att mina personuppgifter tas bort").check()
    page.get_by_role("button", name="Ja, radera mina uppgifter").click()
    expect(page.get_by_role("heading", name="Dina uppgifter är raderade")).to_be_visible()

    # Nothing in any table names them, and the meeting still counts them.
    for needle in [NAME, EMAIL, "070-111 22 33", "Glutenfri"]:
        assert places_containing(needle) == [], needle
    assert meeting.registrations.active().count() == participants
    page.goto("/mina-sidor/")
    expect(page.get_by_role("heading", name="Mina sidor för ombud och terminaler")).to_be_visible()


def _another_member(group):
    site = Contact.objects.get(email=EMAIL).site
    return Contact.objects.create(site=site, name="Kollega Berg", email="kollega@ombud.example")
