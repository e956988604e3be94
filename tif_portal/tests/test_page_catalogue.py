"""The browser crawls' catalogue covers every URL of the portal."""

from django.urls import URLPattern, URLResolver, get_resolver

from tif_portal.tests.browser import catalogue


def _url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_is_in_the_catalogue():
    names = set(_url_names(get_resolver().url_patterns))
    unlisted = names - set(catalogue.CHECKED_BY) - set(catalogue.NOT_PAGES)
    assert not unlisted, f"say who checks these pages, or why they are no page: {sorted(unlisted)}"
    assert not set(catalogue.CHECKED_BY) & set(catalogue.NOT_PAGES)
    assert not (set(catalogue.CHECKED_BY) | set(catalogue.NOT_PAGES)) - names, "the catalogue names URLs that are gone"
