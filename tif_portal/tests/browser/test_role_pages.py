"""Every kind of page, as the person who uses it: each role follows every link it is shown
from the start page, every page it reaches must answer, and each kind of page is checked once
(axe-core, the language attribute, the footer links, no sideways scrolling at 320 px) in Swedish
and then in English; at the end of each crawl the Nu Html Checker validates the HTML of every
page it checked.

``catalogue.CHECKED_BY`` says whose crawl checks which page; the crawl fails when one of its
pages was not reached, and ``test_every_url_is_in_the_catalogue`` when a URL is in no list.
Flow tests elsewhere check behaviour only.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.core.cache import cache
from django.urls import resolve
from playwright.sync_api import expect

from tif_portal.tests.browser import catalogue
from tif_portal.tests.browser.page_world import build_page_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP = re.compile(r"^/(admin|static|media|i18n)/|logga-ut|\.(pdf|ics|csv|json|png|svg)$|/health/")
MAX_PAGES = 150  # a guard against a crawl that never ends; crawls stop well below it
IMPORT_CSV = (
    "företag;typ;namn;id;adress;postnummer;ort;contact_name;contact_email\r\n"
    "PostNord;ombud;ICA Kvantum Birsta;PN-1001;Birstavägen 5;856 50;Sundsvall;Åsa Öberg;asa@ombud.example\r\n"
).encode("cp1252")


def _pattern(path: str) -> str:
    # One visit per kind of page: /moten/12/ and /moten/13/ are the same page.
    return re.sub(r"/[0-9a-zA-Z_-]{20,}/", "/T/", re.sub(r"\d+", "N", path))


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _hrefs_in(html: str) -> list[str]:
    parser = _Hrefs()
    parser.feed(html)
    return parser.hrefs


def _links(hrefs, current: str, base: str) -> list[str]:
    paths = []
    for href in hrefs:
        url = urlparse(urljoin(current, href))
        if url.netloc == urlparse(base).netloc and url.path and not SKIP.search(url.path) and "download" not in href:
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def url_name(url: str) -> str:
    return resolve(urlparse(url).path).view_name


class PageChecks:
    """The pages one role checks in one language: each kind once, as the crawl reaches it."""

    def __init__(self, page, role: str, language: str, check):
        self.page, self.role, self.language, self.check = page, role, language, check
        self.checked: set[str] = set()

    def wants(self, path: str) -> bool:
        name = url_name(path)
        return self.role in catalogue.CHECKED_BY.get(name, ()) and name not in self.checked

    def __call__(self, page) -> None:
        if self.wants(page.url):
            self.check(page, self.language, self.role)
            self.checked.add(url_name(page.url))

    def variant(self, label: str, path: str) -> None:
        """Another state of a page already checked (an answered survey)."""
        assert self.page.goto(path).ok, path
        self.check(self.page, self.language, f"{self.role}: {label}")

    def answer(self, label: str, action) -> None:
        """A page that only the reply to a form shows."""
        action(self.page)
        self.check(self.page, self.language, f"{self.role}: {label}")

    def assert_complete(self) -> None:
        missing = catalogue.checked_by(self.role) - self.checked
        assert not missing, f"{self.role} never reached: {sorted(missing)}"


def crawl(page, base: str, starts=("/",), checks=None) -> list[str]:
    """Visit one page of each kind reachable from ``starts``. Pages that ``checks`` wants are
    rendered in the browser and checked; the others are fetched with the same session, only to
    see that they answer and to follow their links."""
    seen, queue, visited = set(), list(starts), []
    while queue:
        assert len(visited) < MAX_PAGES, f"more than {MAX_PAGES} kinds of page: is a link generating new ones?"
        path = queue.pop(0)
        if _pattern(path) in seen:
            continue
        seen.add(_pattern(path))
        if checks is not None and checks.wants(path):
            response = page.goto(path)
            assert response.ok, f"{path} answered {response.status}"
            checks(page)
            hrefs, current = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"), page.url
        else:
            response = page.request.get(path)
            assert response.ok, f"{path} answered {response.status}"
            hrefs, current = _hrefs_in(response.text()), response.url
        visited.append(path)
        queue.extend(_links(hrefs, current, base))
    return visited


def choose_language(page, language: str) -> None:
    """Switch with the menu's button, as a visitor would; Swedish is the default."""
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


@pytest.fixture
def world(anna_sundsvall, per_police, karin_county, admin_user, bo_harnosand, site_sundsvall, site_harnosand,
          make_contact, settings, tmp_path):
    return build_page_world(
        coordinator=anna_sundsvall, instructor=per_police, county_officer=karin_county, admin=admin_user,
        site=site_sundsvall, make_contact=make_contact, settings=settings, tmp_path=tmp_path,
    )


def _starts(world, role: str) -> list[str]:
    """Pages a role reaches through a redirect after a form rather than a link."""
    if role == catalogue.COORDINATOR:
        return [
            "/",
            # The held meeting's attendance (decals handed out, to change or remove) before the coming one's.
            f"/moten/{world.held.pk}/narvaro/",
            f"/moten/{world.meeting.pk}/utskick/{world.batch}/",
            f"/moten/natverk/{world.meeting.working_group_id}/utskick/{world.network_batch}/",
            world.job.get_absolute_url(),
            f"/kommuner/arbetsgrupper/{world.meeting.working_group_id}/medlemmar/ny/",
            f"/moten/{world.held.pk}/anteckningar/skicka/",
        ]
    return ["/"]


def _ask_for_a_link(page):
    cache.clear()  # the link requests of earlier tests count against this address's limit
    page.goto("/mina-sidor/")
    page.locator("#id_email").fill("sara@ombud.example")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert url_name(page.url) == "contact:link_request"


def _move(page, world):
    page.goto(f"/moten/{world.meeting.pk}/andra/")
    page.locator("#id_place").fill("Kulturmagasinet")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[name=confirm_move]").count() == 1, "a move asks before it tells anyone"


def _upload_an_import(page, world):
    page.goto("/moten/arbetsplatser/import/")
    page.locator("#id_municipality").select_option(str(world.meeting.working_group.municipality_id))
    page.locator("#id_file").set_input_files({"name": "ombud.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV})
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()


LANGUAGES = pytest.mark.parametrize("language", ["sv", "en"])


@LANGUAGES
@pytest.mark.parametrize("role", [catalogue.COORDINATOR, catalogue.COUNTY_OFFICER, catalogue.INSTRUCTOR, catalogue.ADMIN])
def test_every_page_a_role_reaches_answers_and_passes_the_checks(page, live_server, world, browser_login, page_check, role, language):
    browser_login(page, world.people[role])
    choose_language(page, language)
    checks = PageChecks(page, role, language, page_check)
    visited = crawl(page, live_server.url, starts=_starts(world, role), checks=checks)
    if role == catalogue.COORDINATOR:
        _upload_an_import(page, world)
        checks(page)
        checks.answer("who is told of a move", lambda p: _move(p, world))
    assert len(visited) >= 3
    checks.assert_complete()
    page_check.assert_valid_html()


@LANGUAGES
def test_every_public_page_and_personal_link_passes_the_checks(page, live_server, world, page_check, language):
    choose_language(page, language)
    checks = PageChecks(page, catalogue.PUBLIC, language, page_check)
    starts = ["/", "/kunskap/sok/?q=polis", "/konto/losenord/glomt/skickat/", "/konto/losenord/ny/klart/",
              "/kunskap/tillganglighet/tack/", "/mina-sidor/uppgifter/raderade/", *world.token_pages.values()]
    crawl(page, live_server.url, starts=starts, checks=checks)
    checks.variant("survey already answered", world.answered_survey)
    checks.answer("sign-in link sent", _ask_for_a_link)
    checks.assert_complete()
    page_check.assert_valid_html()


@LANGUAGES
def test_every_page_of_a_signed_in_contact_passes_the_checks(page, live_server, world, page_check, language):
    choose_language(page, language)
    checks = PageChecks(page, catalogue.CONTACT, language, page_check)
    page.goto(world.contact_login)
    checks(page)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    crawl(page, live_server.url, starts=["/mina-sidor/", f"/mina-sidor/dekaler/bestall/?arbetsplats={world.site_id}"], checks=checks)
    checks.assert_complete()
    page_check.assert_valid_html()


def test_pages_work_without_javascript(nojs_page, live_server, anna_sundsvall, group_sundsvall, browser_login):
    browser_login(nojs_page, anna_sundsvall)
    nojs_page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    nojs_page.get_by_label("E-post").fill("ny@sundsvall.example")
    nojs_page.get_by_label("Namn").fill("Ny Person")
    nojs_page.get_by_role("button", name="Lägg till").click()
    expect(nojs_page.get_by_role("cell", name="Ny Person", exact=True)).to_be_visible()
    # The menu is open without JavaScript on a narrow screen.
    nojs_page.set_viewport_size({"width": 375, "height": 700})
    expect(nojs_page.get_by_role("link", name="Arbetsgrupper").first).to_be_visible()
