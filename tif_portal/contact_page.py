"""The agent contact's own page is made of sections that apps contribute.

An app registers a section in its ``contact_page.py``:

    @contact_page.section(order=20, template="decals/contact_section.html")
    def decal_orders(user, contacts):
        return {"orders": ...}

The page renders each section's template with the dict its function returns.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass
class Section:
    order: int
    template: str
    build: Callable


_sections: list[Section] = []


def section(*, order: int, template: str):
    def register(func):
        _sections.append(Section(order, template, func))
        _sections.sort(key=lambda s: s.order)
        return func

    return register


def sections_for(user, contacts) -> list[tuple[str, dict]]:
    autodiscover_modules("contact_page")
    return [(s.template, s.build(user, contacts)) for s in _sections]
