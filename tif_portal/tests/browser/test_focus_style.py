"""The keyboard focus ring stands out from what is around it: at least 3:1 (WCAG 1.4.11)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The ring's colour against the nearest background colour behind the focused element.
RING_AND_BACKGROUND = """el => {
    el.focus();
    const rgb = c => c.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {
        const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    let behind = el.parentElement;
    while (behind && (getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)')) behind = behind.parentElement;
    const style = getComputedStyle(el);
    const ring = rgb(style.outlineColor), background = rgb(behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)');
    const [light, dark] = [luminance(ring), luminance(background)].sort((a, b) => b - a);
    return {matches: el.matches(':focus-visible'), width: parseFloat(style.outlineWidth), style: style.outlineStyle,
            ratio: (light + 0.05) / (dark + 0.05), background: behind ? getComputedStyle(behind).backgroundColor : 'white'};
}"""


# A link on the page, a button, the footer (light blue), the menu (dark blue).
PLACES = ["main a", "main .btn-primary", "footer a", "header .nav-link", "header .language-switcher button"]


def test_the_focus_ring_has_three_to_one_contrast_against_its_background(page, live_server):
    page.goto("/kunskap/tillganglighet/")
    page.keyboard.press("Tab")  # keyboard use, so the browser shows :focus-visible from now on
    for where in PLACES:
        ring = page.locator(where).first.evaluate(RING_AND_BACKGROUND)
        assert ring["matches"] and ring["style"] == "solid" and ring["width"] >= 2, (where, ring)
        assert ring["ratio"] >= 3, f"{where}: the focus ring is {ring['ratio']:.2f}:1 against {ring['background']}"
