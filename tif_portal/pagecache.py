"""Pages kept until the data changes.

A page seen once is kept in the shared cache for the same session, address and language, and
served again while the data generation (``tif_portal.generation``) has not moved: the first
write anywhere after it makes every kept page old. The key names the session and the CSRF
cookie, so a kept page goes only to the person it was made for, with the form tokens that are
theirs. ``PAGE_CACHE_SECONDS`` bounds what only the clock changes (a deadline passing); 0
turns the cache off.

Not kept: anything but a 200 answer to a GET, streamed answers, answers that set a cookie (a new
CSRF cookie, a session saved), pages whose request wrote to the database, and requests that
carry a message still to be shown or an Authorization header (the API's tokens), and the views
marked ``never_kept`` (what they show is not in the database, such as whether it answers).
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.utils import timezone, translation

from tif_portal import generation

_LARGEST_KEPT = 1_000_000  # bytes: the CSV exports of a whole county stay out


def never_kept(view):
    """For a view whose answer does not follow from the database alone."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.never_kept = True
        return response

    return wrapped


def _may_use_cache(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and CookieStorage.cookie_name not in request.COOKIES
        and SessionStorage.session_key not in request.session
    )


def _page_key(request) -> str:
    parts = (
        request.session.session_key or "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
    )
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _may_keep(response, wrote: bool) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, "never_kept", False)
        and not response.streaming
        and not response.cookies
        and not wrote
        and len(response.content) <= _LARGEST_KEPT
    )


def pages_kept_until_data_changes(get_response):
    def middleware(request):
        if not _may_use_cache(request):
            return get_response(request)
        key = _page_key(request)
        found = cache.get_many([generation.KEY, key])
        now = found.get(generation.KEY)
        if now is None:
            now = generation.current()
        kept = found.get(key)
        if kept is not None and kept[0] == now:
            return kept[1]
        writes_before = generation.writes_in_this_thread()
        response = get_response(request)
        if _may_keep(response, wrote=generation.writes_in_this_thread() != writes_before):
            cache.set(key, (now, response), settings.PAGE_CACHE_SECONDS)
        return response

    return middleware
