"""The HTML checker the page crawl relies on finds what it is there to find."""

import pytest

from tif_portal.testing.browser import PageChecker

PAGE = '<!DOCTYPE html><html lang="sv"><head><title>Prov</title></head><body>{}</body></html>'


def test_the_html_checker_reports_a_form_inside_a_form_and_a_duplicate_id_and_passes_valid_html():
    checker = PageChecker()
    checker.documents = [
        ("valid", PAGE.format('<main><p id="a">Hej</p></main>')),
        ("nested", PAGE.format('<form method="post"><form method="post"></form></form><p id="b"></p><p id="b"></p>')),
    ]
    with pytest.raises(AssertionError) as failure:
        checker.assert_valid_html()
    report = str(failure.value)
    assert "nested line 1: Saw a “form” start tag" in report and "Duplicate ID “b”" in report
    assert "valid line" not in report
    assert "in 2 pages" in report
