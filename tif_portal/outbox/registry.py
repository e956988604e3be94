"""The mail renderers: each app registers its own in ``<app>/emails.py``.

    @outbox.renderer("meetings.invitation")
    def invitation(email: OutboundEmail) -> outbox.Rendered: ...

The portal's app config imports every app's ``emails`` module when Django starts (web
and worker alike), so a renderer is known before any row names it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from tif_portal.models import OutboundEmail


@dataclass
class Rendered:
    subject: str
    body_text: str
    body_html: str = ""
    headers: dict = field(default_factory=dict)
    # (filename, bytes, mimetype)
    attachments: list = field(default_factory=list)
    # The Content-Language header when it is not the row's language ("sv, en" for both).
    content_language: str = ""


_renderers: dict[str, Callable[[OutboundEmail], Rendered]] = {}


def renderer(name: str):
    """Register a function that turns a row into subject, bodies and attachments."""

    def register(func):
        _renderers[name] = func
        return func

    return register


def get_renderer(name: str) -> Callable[[OutboundEmail], Rendered]:
    """The renderer registered as ``name``; a KeyError names a row no app can render."""
    return _renderers[name]


def discover() -> None:
    """Import each app's ``emails`` module, where its renderers register."""
    autodiscover_modules("emails")
