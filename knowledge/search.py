"""Searching the knowledge pages: PostgreSQL's full-text search, so that "beslagen" finds a page
about "beslag" (Swedish stemming for the Swedish texts, English for the English ones), ranked,
with an excerpt around the words found. The pages are few: the vectors are computed per search,
no index or stored column is needed. On SQLite (the embedded default) a simpler search looks
for each word with common Swedish endings taken off.
"""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_WORDS = 8
# Markers ts_headline puts around each word found; the excerpt is escaped, then they become <mark>.
START, STOP = "\x02", "\x03"
CONFIGS = {"sv": "swedish", "en": "english"}
# Endings the SQLite search takes off a word, longest first: "beslagen" → "beslag".
SWEDISH_ENDINGS = ("arna", "erna", "orna", "ande", "ende", "heten", "het", "en", "et", "na", "ar", "er", "or", "a", "e", "n")
EXCERPT_CHARS = 220


class _TextOf(Func):
    """The text of sanitised HTML, its tags turned into spaces."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, '<[^>]+>', ' ', 'g')"


def _vector(language: str) -> SearchVector:
    config = CONFIGS[language]
    return (
        SearchVector(f"title_{language}", weight="A", config=config)
        + SearchVector(f"summary_{language}", weight="B", config=config)
        + SearchVector(_TextOf(F(f"body_{language}")), weight="C", config=config)
    )


def _full_text(pages, query: str, language: str):
    # Each word stemmed and taken as a prefix ("beslagen" → beslag:*), so that the first part of
    # a compound is found too: "dopning" finds "dopningsmedel".
    raw = " & ".join(f"{word}:*" for word in _words(query))
    queries = {code: SearchQuery(raw, config=config, search_type="raw") for code, config in CONFIGS.items()}
    shown = language if language in CONFIGS else "sv"
    return (
        pages.annotate(vector_sv=_vector("sv"), vector_en=_vector("en"))
        .filter(Q(vector_sv=queries["sv"]) | Q(vector_en=queries["en"]))
        .annotate(
            rank=SearchRank(F("vector_sv"), queries["sv"]) + SearchRank(F("vector_en"), queries["en"]),
            headline=SearchHeadline(
                _TextOf(F(f"body_{shown}")), queries[shown], config=CONFIGS[shown],
                start_sel=START, stop_sel=STOP, max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "position", "title_sv")
    )


def _stem(word: str) -> str:
    word = word.lower()
    for ending in SWEDISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _words(query: str) -> list[str]:
    # Letters and digits only: the words go into a tsquery, where & | ! : ( ) are operators.
    return [w for w in re.findall(r"[^\W_]+", query)[:MAX_WORDS] if len(w) > 1]


def _simple(pages, query: str):
    for word in map(_stem, _words(query)):
        pages = pages.filter(
            Q(title_sv__icontains=word) | Q(title_en__icontains=word) | Q(body_sv__icontains=word) | Q(body_en__icontains=word)
        )
    return pages.order_by("position", "title_sv").annotate(headline=Value(""))


def _simple_excerpt(page, query: str) -> str:
    """A piece of the page's text around the first word found, the words marked."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.body)).split())
    stems = [_stem(w) for w in _words(query)]
    found = [m.start() for s in stems if (m := re.search(re.escape(s), text, re.IGNORECASE))]
    if not found:
        return ""
    start = max(0, min(found) - EXCERPT_CHARS // 3)
    piece = text[start : start + EXCERPT_CHARS]
    for stem in stems:
        piece = re.sub(rf"(\w*{re.escape(stem)}\w*)", rf"{START}\1{STOP}", piece, flags=re.IGNORECASE)
    return ("… " if start else "") + piece + (" …" if start + EXCERPT_CHARS < len(text) else "")


def pages_search(pages, query: str, language: str):
    """The pages that match ``query``, best first, each with ``headline``: marked excerpt markers
    that ``excerpt_html`` turns into HTML. ``pages`` is already scoped (``visible_to``)."""
    if not _words(query):
        return pages.none()
    if connection.vendor == "postgresql":
        return _full_text(pages, query, language)
    return _simple(pages, query)


def excerpt_html(page, query: str) -> SafeString:
    """The page's excerpt as HTML: its text escaped, the words found in <mark>."""
    raw = page.headline if connection.vendor == "postgresql" else _simple_excerpt(page, query)
    text = escape(html.unescape(raw or ""))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))
