"""Browser test helpers: log in through the real form, check a page with axe-core, a narrow
screen and the Nu Html Checker."""

import gettext
import json
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tif_portal.testing import PASSWORD

_axe = Axe()
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 1.4.10: 320 CSS pixels without scrolling sideways; 1024, where the full menu first shows.
WIDTHS = (320, 1024)


def assert_accessible(page, context: str = "") -> None:
    """Fail with axe-core's findings when a page has any WCAG 2.1 A/AA violation."""
    results = _axe.run(page, options={"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    violations = results.response["violations"]
    if violations:
        lines = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in violations]
        raise AssertionError(f"axe found {len(violations)} violations on {page.url} {context}:\n" + "\n".join(lines))


_WIDER_THAN_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    // What sticks out, leaving out what a scrolling box (a wide table's) holds.
    const inScrollBox = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
    return [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed' && !inScrollBox(e))
        .slice(-5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className.split(' ').join('.') : ''));
}"""


def assert_fits_a_narrow_screen(page, context: str = "") -> None:
    """Fail when the page scrolls sideways at 320 or 1024 px, naming the elements that stick out."""
    wide = page.viewport_size
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 640})
            too_wide = page.evaluate(_WIDER_THAN_THE_SCREEN)
            if too_wide:
                break
    finally:
        page.set_viewport_size(wide)
    assert not too_wide, f"{page.url} scrolls sideways at {width} px {context}: {too_wide}"


@cache
def english_phrases() -> frozenset[str]:
    """Pieces of the English catalogue long enough to be sure of (three words or more, split at
    the placeholders) that are not also Swedish: one on a Swedish page is English leaking in."""
    path = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    phrases = set()
    for msgid, msgstr in catalog.items():
        msgid = msgid[0] if isinstance(msgid, tuple) else msgid
        if not msgid or not msgstr or msgstr == msgid:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\n", msgstr):
            piece = piece.strip(" .,:;()–-")
            if len(piece.split()) >= 3 and piece not in msgid:
                phrases.add(piece)
    return frozenset(phrases)


# The page's text without the parts marked as another language (an English version of a
# knowledge page, the button "English"), which may be English by right.
_SWEDISH_TEXT = """() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('[lang]:not([lang|="sv"])').forEach(e => e.remove());
    return body.textContent;
}"""


def assert_no_english_on_a_swedish_page(page, context: str = "") -> None:
    text = " ".join(page.evaluate(_SWEDISH_TEXT).split())
    leaks = sorted(phrase for phrase in english_phrases() if phrase in text)
    assert not leaks, f"{page.url} shows English on a Swedish page {context}: {leaks[:5]}"


def assert_page_passes(page, language: str, who: str) -> None:
    """The checks every page of the portal passes: the language it was asked for, the footer's
    links to the accessibility statement and privacy notice, axe-core, a 320 px screen, and on
    a Swedish page no text from the English catalogue."""
    context = f"({who}, {language})"
    page.wait_for_load_state()  # after a click the stylesheets may still be on their way
    assert page.locator("html").get_attribute("lang") == language, f"{page.url} is not in {language} {context}"
    footer = page.locator("footer")
    for path in ("/kunskap/tillganglighet/", "/kunskap/integritet/"):
        assert footer.locator(f'a[href="{path}"]').count() == 1, f"{page.url}: the footer lacks {path} {context}"
    assert_accessible(page, context)
    assert_fits_a_narrow_screen(page, context)
    if language == "sv":
        assert_no_english_on_a_swedish_page(page, context)


def record_documents(page) -> None:
    """Keep the last HTML document the page received, as the server sent it: the browser's
    own DOM has already repaired what the HTML checker is there to find (a form in a form)."""

    def keep(response):
        if response.request.resource_type == "document" and response.frame == page.main_frame and response.ok:
            page._tif_document = response

    page._tif_document = None
    page.on("response", keep)


class PageChecker:
    """``assert_page_passes`` on each page, keeping the HTML it was sent; ``assert_valid_html``
    then validates them all with the Nu Html Checker in one Java process (one per page would
    cost a JVM start each)."""

    def __init__(self):
        self.documents: list[tuple[str, str]] = []

    def __call__(self, page, language: str, who: str) -> None:
        assert_page_passes(page, language, who)
        if not hasattr(page, "_tif_document"):
            # A page opened outside the ``page`` fixture: fetch its HTML again with its session.
            html = page.request.get(page.url).text()
        else:
            response = page._tif_document
            assert response is not None and response.url == page.url.split("#")[0], f"{page.url}: no HTML recorded"
            html = response.text()
        self.documents.append((f"{page.url} ({who}, {language})", html))

    def assert_valid_html(self) -> None:
        """Fail with every error the Nu Html Checker finds in the pages checked so far."""
        if not self.documents:
            return
        with tempfile.TemporaryDirectory(prefix="tif-html-") as folder:
            names = {}
            for number, (label, html) in enumerate(self.documents):
                path = Path(folder) / f"page{number}.html"
                path.write_text(html, encoding="utf-8")
                names[str(path)] = label  # a path: the checker skips file:// URLs without a word
            result = subprocess.run(
                ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *names],
                capture_output=True, text=True, check=False,
            )
            messages = json.loads(result.stdout)["messages"]
        labels = {f"file:{path}": label for path, label in names.items()}
        errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
        checked = len(self.documents)
        self.documents = []
        if errors:
            lines = [f"{labels.get(m.get('url'), m.get('url'))} line {m.get('lastLine')}: {m['message']} – {m.get('extract', '').strip()!r}" for m in errors]
            raise AssertionError(f"the HTML checker found {len(errors)} errors in {checked} pages:\n" + "\n".join(lines))


def login(page, user, password: str = PASSWORD) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    # The click only starts the form's round trip: wait for the page after it.
    try:
        page.wait_for_url(lambda url: "/konto/logga-in/" not in url, timeout=10_000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"login failed for {user.email}: {page.locator('main').inner_text()[:300]}") from None
