"""Every knowledge, privacy and accessibility page passes axe in Swedish and English,
and is reachable from the start page without an account."""

import pytest

from knowledge.models import Page
from municipalities.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_both_languages(page, live_server, axe_check, paths, who):
    for language in ("sv", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in paths:
            response = page.goto(path)
            assert response.ok, f"{path} answered {response.status}"
            assert page.locator("html").get_attribute("lang") == language
            footer = page.locator("footer")
            assert footer.locator('a[href="/kunskap/tillganglighet/"]').count() == 1
            assert footer.locator('a[href="/kunskap/integritet/"]').count() == 1
            axe_check(page, f"({who}, {language})")


def test_public_knowledge_pages_pass_axe_in_both_languages(page, live_server, axe_check, per_police, group_sundsvall):
    Membership.objects.filter(user=per_police).update(publish_contact=True)
    paths = [
        "/",
        "/kunskap/",
        "/kunskap/sok/?q=polis",
        "/kunskap/integritet/",
        "/kunskap/tillganglighet/",
        f"/kunskap/kontakter/{group_sundsvall.pk}/",
    ]
    paths += [p.get_absolute_url() for p in Page.objects.all()]
    _check_both_languages(page, live_server, axe_check, paths, "public")


def test_knowledge_pages_open_from_the_start_page_in_english(page, live_server):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Illegal goods in the parcel flow").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Illegal goods in the parcel flow"
    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Illegala varor i paketflödet"


def test_the_accessibility_report_form_works_and_its_answer_passes_axe(page, live_server, axe_check, admin_user):
    from django.core.cache import cache

    cache.clear()  # rate limits from earlier runs
    page.goto("/kunskap/tillganglighet/")
    page.get_by_label("Beskriv problemet").fill("Fokus syns inte på knapparna.")
    page.get_by_role("button", name="Skicka").click()
    assert page.get_by_role("heading", name="Tack för din synpunkt").is_visible()
    _check_both_languages(page, live_server, axe_check, ["/kunskap/tillganglighet/tack/"], "report sent")


def test_editor_pages_pass_axe_in_both_languages(page, live_server, axe_check, browser_login, karin_county):
    browser_login(page, karin_county)
    knowledge_page = Page.objects.get(slug="illegala-varor")
    page.goto(f"/kunskap/sidor/{knowledge_page.slug}/andra/")
    page.get_by_label("Rubrik (svenska)").fill("Illegala varor i paketflödet – uppdaterad")
    page.get_by_role("button", name="Spara").click()
    assert "uppdaterad" in page.get_by_role("heading", level=1).inner_text()
    version = knowledge_page.history.earliest()
    paths = [
        "/kunskap/sidor/ny/",
        f"/kunskap/sidor/{knowledge_page.slug}/andra/",
        f"/kunskap/sidor/{knowledge_page.slug}/versioner/",
        f"/kunskap/sidor/{knowledge_page.slug}/versioner/{version.history_id}/",
        "/kunskap/bilder/",
    ]
    _check_both_languages(page, live_server, axe_check, paths, "county officer")


def test_the_contact_sheet_choice_passes_axe_and_publishes(
    page, live_server, axe_check, browser_login, anna_sundsvall, per_police, group_sundsvall
):
    browser_login(page, anna_sundsvall)
    _check_both_languages(
        page, live_server, axe_check, [f"/kunskap/kontakter/{group_sundsvall.pk}/val/"], "coordinator"
    )
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    page.get_by_role("link", name="Välj vilka som visas på kontaktbladet").click()
    page.get_by_label("Per Ström – Polis").check()
    page.get_by_role("button", name="Spara").click()
    assert "Per Ström" in page.locator("table").inner_text()
