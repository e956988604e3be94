"""Knowledge pages open from the start page in both languages; the accessibility report,
page editing and the contact sheet work in the browser. The role crawls check the pages
themselves (axe, the footer links, both languages)."""

import pytest
from playwright.sync_api import expect

from knowledge.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_knowledge_pages_open_from_the_start_page_in_english(page, live_server):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Illegal goods in the parcel flow").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Illegal goods in the parcel flow"
    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Illegala varor i paketflödet"


def test_the_accessibility_report_form_works(page, live_server, admin_user):
    from django.core.cache import cache

    cache.clear()  # rate limits from earlier runs
    page.goto("/kunskap/tillganglighet/")
    page.get_by_label("Beskriv problemet").fill("Fokus syns inte på knapparna.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack för din synpunkt")).to_be_visible()


def test_a_county_officer_edits_a_page_and_its_history_keeps_the_old_version(page, live_server, browser_login, karin_county):
    browser_login(page, karin_county)
    knowledge_page = Page.objects.get(slug="illegala-varor")
    page.goto(f"/kunskap/sidor/{knowledge_page.slug}/andra/")
    page.get_by_label("Rubrik (svenska)").fill("Illegala varor i paketflödet – uppdaterad")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("uppdaterad")
    version = knowledge_page.history.earliest()
    page.goto(f"/kunskap/sidor/{knowledge_page.slug}/versioner/{version.history_id}/")
    assert "uppdaterad" not in page.get_by_role("heading", level=1).inner_text()


def test_the_contact_sheet_choice_publishes(page, live_server, browser_login, anna_sundsvall, per_police, group_sundsvall):
    browser_login(page, anna_sundsvall)
    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    page.get_by_role("link", name="Välj vilka som visas på kontaktbladet").click()
    page.get_by_label("Per Ström – Polis").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("table")).to_contain_text("Per Ström")
