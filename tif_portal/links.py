"""Links that leave the portal (in mails, PDFs, calendar feeds) are absolute, from the site URL."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``path`` ("/moten/3/") under the portal's public address."""
    return f"{settings.SITE_URL}{path}"


def absolute_reverse(viewname: str, *args) -> str:
    """The view's URL under the portal's public address."""
    return absolute_url(reverse(viewname, args=args or None))
