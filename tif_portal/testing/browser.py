"""Browser test helpers: log in through the real form, check a page with axe-core."""

from axe_playwright_python.sync_playwright import Axe

from tif_portal.testing import PASSWORD

_axe = Axe()


def assert_accessible(page, context: str = "") -> None:
    """Fail with axe-core's findings when a page has any WCAG 2.1 A/AA violation."""
    results = _axe.run(page, options={"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    violations = results.response["violations"]
    if violations:
        lines = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in violations]
        raise AssertionError(f"axe found {len(violations)} violations on {page.url} {context}:\n" + "\n".join(lines))


def assert_page_passes(page, language: str, who: str) -> None:
    """The checks every page of the portal passes: the language it was asked for, the footer's
    links to the accessibility statement and privacy notice, and axe-core."""
    context = f"({who}, {language})"
    assert page.locator("html").get_attribute("lang") == language, f"{page.url} is not in {language} {context}"
    footer = page.locator("footer")
    for path in ("/kunskap/tillganglighet/", "/kunskap/integritet/"):
        assert footer.locator(f'a[href="{path}"]').count() == 1, f"{page.url}: the footer lacks {path} {context}"
    assert_accessible(page, context)


def login(page, user, password: str = PASSWORD) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/konto/logga-in/" not in page.url, f"login failed for {user.email}"
