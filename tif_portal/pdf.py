"""PDF rendering: ordinary Django templates through WeasyPrint, with the bundled font.

Every document in the portal goes through ``render_pdf`` (one document) or
``render_pdf_pages`` (many documents in one file, each with its own page numbers).
Templates extend ``pdf/base.html``; the print stylesheet is parsed once per process.

Resources are fetched only from the portal's own static and media files: a
template that names any other address gets nothing, so rendering never reaches
the network and a crafted upload cannot make the server fetch a URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tif_portal.storage import PUBLIC_MEDIA_FOLDERS

PRINT_STYLESHEET = "css/print-pdf.css"
# Tagged PDF (PDF/UA-1): a structure tree, the document's language and title, so screen
# readers read the documents in order and in the right language.
PDF_VARIANT = "pdf/ua-1"
# Relative URLs in templates resolve against this address; the fetcher maps it to files.
BASE_URL = "https://tif-portal.invalid/"

# One per process: fonts from @font-face are loaded once and reused by every render.
FONT_CONFIG = FontConfiguration()

_MIME_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


def _own_path(url: str) -> str | None:
    """The path of one of the portal's own URLs, or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in _own_hosts():
        return None
    path = unquote(parts.path)
    return None if ".." in Path(path).parts else path


def local_path(url: str) -> Path | None:
    """The static file a static URL of the portal stands for, or None."""
    path = _own_path(url)
    if path is None or not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL):]
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def media_bytes(url: str) -> bytes | None:
    """A public media file (a logo) read from the public storage, wherever it is kept."""
    path = _own_path(url)
    if path is None or not path.startswith(settings.MEDIA_URL):
        return None
    name = path[len(settings.MEDIA_URL):]
    if not name.startswith(PUBLIC_MEDIA_FOLDERS) or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        return file.read()


def _own_hosts() -> set[str]:
    return {urlsplit(BASE_URL).netloc, urlsplit(settings.SITE_URL).netloc}


class LocalFilesFetcher(URLFetcher):
    """Serves the portal's static and media files and data: URLs; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("http", "https", "data"), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        mime = _MIME_TYPES.get(Path(urlsplit(url).path).suffix.lower(), "application/octet-stream")
        path = local_path(url)
        if path is not None:
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        data = media_bytes(url)
        if data is None:
            raise ValueError(f"Only the portal's own static and public media files are fetched, not {url}")
        return URLFetcherResponse(url, data, {"Content-Type": mime})


_stylesheets: list[CSS] | None = None


def _print_stylesheets() -> list[CSS]:
    global _stylesheets
    if _stylesheets is None or settings.DEBUG:
        path = finders.find(PRINT_STYLESHEET)
        _stylesheets = [
            CSS(
                string=Path(path).read_text(encoding="utf-8"),
                base_url=BASE_URL + settings.STATIC_URL.lstrip("/") + "css/",
                url_fetcher=LocalFilesFetcher(),
                font_config=FONT_CONFIG,
            )
        ]
    return _stylesheets


def _html(template_name: str, context: dict, request, title: str) -> HTML:
    context = {**context, "pdf_title": title or context.get("pdf_title", "")}
    # A letter is written in its recipient's language: the context may name it.
    with translation.override(context.get("document_language") or translation.get_language()):
        markup = render_to_string(template_name, context, request=request)
    return HTML(string=markup, base_url=BASE_URL, url_fetcher=LocalFilesFetcher())


def _document(template_name: str, context: dict, request, title: str):
    return _html(template_name, context, request, title).render(
        stylesheets=_print_stylesheets(), font_config=FONT_CONFIG
    )


def render_pdf(template_name: str, context: dict, *, request=None, title: str = "", variant: str | None = None) -> bytes:
    """Render one template to PDF bytes.

    ``title`` becomes the PDF's title and the running header. A context may carry
    ``document_language`` ("sv", "en") to render in that language. ``variant`` asks WeasyPrint
    for a standard profile, e.g. "pdf/ua-1": a tagged PDF whose structure screen readers follow,
    with the document's language (from ``<html lang>``) as its /Lang.
    """
    return _document(template_name, context, request, title).write_pdf(pdf_variant=variant or PDF_VARIANT)


def render_pdf_pages(
    template_name: str, contexts: Iterable[dict], *, request=None, title: str = ""
) -> bytes:
    """Render the template once per context and join the results into one PDF.

    Each rendering keeps its own page numbers ("sida 1 av 1" on every one-page letter),
    which one long HTML document could not give.
    """
    documents = [_document(template_name, context, request, title) for context in contexts]
    if not documents:
        raise ValueError("render_pdf_pages needs at least one context")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant=PDF_VARIANT)
