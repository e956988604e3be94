from django import template

from knowledge.models import Page

register = template.Library()


@register.inclusion_tag("knowledge/includes/page_cards.html")
def knowledge_pages():
    """The published knowledge pages, for the public start page (one query)."""
    return {"pages": Page.objects.filter(published=True)}


@register.filter
def clean_html(value: str):
    """Formatted page text, sanitised again on output so no stored markup can run."""
    from django.utils.safestring import mark_safe

    from knowledge.services import html_clean

    return mark_safe(html_clean(value))  # noqa: S308 - nh3 has just sanitised it
