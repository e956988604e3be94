"""Log in as each role, visit every page reachable from the menus and links, and check
each with axe-core in Swedish and in English."""

import re
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP = re.compile(r"^/(admin|static|media|i18n)/|logga-ut|\.(pdf|ics|csv|json|png|svg)$|/health/")
MAX_PAGES = 60


def _pattern(path: str) -> str:
    # One visit per kind of page: /moten/12/ and /moten/13/ are the same page.
    return re.sub(r"/[0-9a-zA-Z_-]{20,}/", "/T/", re.sub(r"\d+", "N", path))


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        url = urlparse(urljoin(page.url, href))
        if url.netloc == urlparse(base).netloc and url.path and not SKIP.search(url.path) and "download" not in href:
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def crawl(page, base: str, start: str = "/", on_page=None) -> list[str]:
    """Visit one page of each kind reachable from ``start``; ``on_page`` checks each as it loads."""
    seen, queue, visited = set(), [start], []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        if _pattern(path) in seen:
            continue
        seen.add(_pattern(path))
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        visited.append(path)
        if on_page:
            on_page(page)
        queue.extend(_links(page, base))
    return visited


def switch_to_english(page):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()


@pytest.fixture
def demo_world(anna_sundsvall, bo_harnosand, per_police, karin_county, admin_user, meeting_sundsvall,
               contact_sundsvall, site_harnosand):
    meeting_sundsvall.instructors.add(per_police)
    meeting_sundsvall.checklist.create(position=1, key="book_room")
    return {"coordinator": anna_sundsvall, "instructor": per_police, "county_officer": karin_county, "admin": admin_user}


@pytest.mark.parametrize("role", ["coordinator", "instructor", "county_officer", "admin"])
def test_every_page_a_role_reaches_passes_axe_in_both_languages(page, live_server, demo_world, browser_login, axe_check, role):
    browser_login(page, demo_world[role])
    visited = crawl(page, live_server.url, on_page=lambda p: axe_check(p, f"({role}, sv)"))
    assert len(visited) >= 3
    switch_to_english(page)
    for path in visited:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        axe_check(page, f"({role}, en)")


def test_public_pages_pass_axe_in_both_languages(page, live_server, db, axe_check):
    visited = crawl(page, live_server.url, on_page=lambda p: axe_check(p, "(public, sv)"))
    switch_to_english(page)
    for path in visited:
        page.goto(path)
        axe_check(page, "(public, en)")


def test_pages_work_without_javascript(nojs_page, live_server, anna_sundsvall, group_sundsvall, browser_login):
    browser_login(nojs_page, anna_sundsvall)
    nojs_page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    nojs_page.get_by_label("E-post").fill("ny@sundsvall.example")
    nojs_page.get_by_label("Namn").fill("Ny Person")
    nojs_page.get_by_role("button", name="Lägg till").click()
    assert "Ny Person" in nojs_page.content()
    # The menu is open without JavaScript on a narrow screen.
    nojs_page.set_viewport_size({"width": 375, "height": 700})
    assert nojs_page.get_by_role("link", name="Arbetsgrupper").first.is_visible()
