"""An agent contact signs in by mailed link and orders decals; the county officer approves
and ships them; the contact follows the order. The role crawls check the pages themselves (axe, both
languages)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from decals.models import DecalOrder, DecalStock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_mail(sink, address, count, page):
    for _ in range(50):
        if len(sink.to(address)) >= count:
            return sink.to(address)
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} mails to {address}, got {[m['Subject'] for m in sink.to(address)]}")


def test_a_contact_orders_decals_and_follows_them_to_shipping(
    page,
    chromium,
    live_server,
    settings,
    deliver_by_smtp,
    browser_login,
    eligible_sundsvall,
    karin_county,
    vasternorrland,
):
    settings.SITE_URL = live_server.url
    cache.clear()
    DecalStock.objects.create(county=vasternorrland, quantity=10)
    sink, address = deliver_by_smtp, eligible_sundsvall.email

    # The contact asks for a link and opens it from the mail.
    page.goto("/mina-sidor/")
    page.get_by_label("Din e-postadress").fill(address)
    page.get_by_role("button", name="Skicka länk").click()
    page.wait_for_load_state()
    mail = wait_for_mail(sink, address, 1, page)[0]
    link = re.search(r"http://\S+", mail.get_content()).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Öppna Mina sidor").click()
    page.wait_for_url("**/mina-sidor/")
    expect(page.get_by_text("Arbetsplatsen kan beställa dekaler")).to_be_visible()

    # Three decals for the workplace, delivered to the prefilled address.
    page.get_by_text("Beställ dekaler till ICA Nära Sundsvall").click()
    assert page.get_by_label("Gatuadress").input_value() == eligible_sundsvall.site.street
    page.get_by_label("Antal dekaler").fill("3")
    page.get_by_role("button", name="Beställ dekaler").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Din beställning är lagd")).to_be_visible()
    order = DecalOrder.objects.get()
    assert (order.quantity, order.state, order.contact_id) == (3, "placed", eligible_sundsvall.pk)
    wait_for_mail(sink, address, 2, page)

    # The county officer approves and ships it from the queue.
    officer = chromium.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    browser_login(officer, karin_county)
    officer.goto("/dekaler/bestallningar/")
    officer.get_by_label(f"Välj beställning {order.pk}").check()
    officer.get_by_role("button", name="Godkänn").click()
    officer.wait_for_load_state()
    expect(officer.get_by_text("1 beställning är godkänd.")).to_be_visible()
    expect(officer.get_by_text("I lager i Västernorrlands län: 7 dekaler i A5.")).to_be_visible()
    officer.get_by_label(f"Välj beställning {order.pk}").check()
    officer.get_by_role("button", name="Markera som skickade").click()
    officer.wait_for_load_state()
    expect(officer.get_by_text("1 beställning är markerad som skickad.")).to_be_visible()
    order.refresh_from_db()
    assert order.state == "shipped"
    officer.context.close()

    # The contact sees every state and got a mail for each change.
    page.goto("/mina-sidor/")
    row = page.locator("tr", has_text="ICA Nära Sundsvall")
    assert row.locator(".decal-state").inner_text() == "Skickad"
    assert [item.split(": ")[1] for item in row.locator("td ul li").all_inner_texts()] == ["Lagd", "Godkänd", "Skickad"]
    subjects = [m["Subject"] for m in wait_for_mail(sink, address, 4, page)[1:]]
    assert subjects == [
        f"Din dekalbeställning {order.pk}: lagd",
        f"Din dekalbeställning {order.pk}: godkänd",
        f"Din dekalbeställning {order.pk}: skickad",
    ]


def test_an_ineligible_workplace_sees_why_and_how_to_become_eligible(
    page, live_server, contact_sundsvall, settings, deliver_by_smtp
):
    settings.SITE_URL = live_server.url
    cache.clear()
    page.goto("/mina-sidor/")
    page.get_by_label("Din e-postadress").fill(contact_sundsvall.email)
    page.get_by_role("button", name="Skicka länk").click()
    mail = wait_for_mail(deliver_by_smtp, contact_sundsvall.email, 1, page)[0]
    page.goto(re.search(r"http://\S+", mail.get_content()).group(0))
    page.get_by_role("button", name="Öppna Mina sidor").click()
    page.wait_for_url("**/mina-sidor/")
    expect(page.get_by_text("Arbetsplatsen kan inte beställa dekaler än.")).to_be_visible()
    expect(page.get_by_text("Gå på nästa samverkansmöte", exact=False)).to_be_visible()
    expect(page.get_by_text("när du anmäler dig till ett möte", exact=False)).to_be_visible()
    assert page.get_by_label("Antal dekaler").count() == 0


def test_the_queue_works_without_javascript(
    nojs_page, browser_login, karin_county, decal_order_harnosand, vasternorrland
):
    DecalStock.objects.create(county=vasternorrland, quantity=5)
    browser_login(nojs_page, karin_county)
    nojs_page.goto("/dekaler/bestallningar/?state=placed")
    nojs_page.get_by_label(f"Välj beställning {decal_order_harnosand.pk}").check()
    nojs_page.get_by_role("button", name="Godkänn").click()
    expect(nojs_page.get_by_text("1 beställning är godkänd.")).to_be_visible()
    decal_order_harnosand.refresh_from_db()
    assert decal_order_harnosand.state == "approved"
