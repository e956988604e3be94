"""Knowledge pages, the local contact sheet and accessibility reports.

What the portal holds about a person (export, erasure, retention) is in ``personal_data``.
"""

from html.parser import HTMLParser

import nh3
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from knowledge import emails
from knowledge.models import AccessibilityReport, Page, PageImage
from municipalities.models import Membership, WorkingGroup
from tif_portal import outbox

# Formatted text --------------------------------------------------------------

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "img"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class _ImagesWithoutAlt(HTMLParser):
    def __init__(self):
        super().__init__()
        self.missing = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.missing += 1

    handle_startendtag = handle_starttag


def html_images_without_alt(html: str) -> int:
    """How many images in the markup lack an alternative text."""
    parser = _ImagesWithoutAlt()
    parser.feed(html or "")
    parser.close()
    return parser.missing


def html_clean(html: str) -> str:
    """Keep only the formatting the pages use; scripts, event handlers and javascript: links go."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


# Knowledge pages ---------------------------------------------------------------

PAGE_FIELDS = (
    "slug",
    "position",
    "title_sv",
    "title_en",
    "summary_sv",
    "summary_en",
    "body_sv",
    "body_en",
    "published",
)


@transaction.atomic
def page_save(*, page: Page | None = None, data: dict, edited_by: User) -> Page:
    """Create or change a page; the bodies are sanitised and the history keeps a version."""
    page = page or Page()
    for name in PAGE_FIELDS:
        if name in data:
            setattr(page, name, data[name])
    page.body_sv = html_clean(page.body_sv)
    page.body_en = html_clean(page.body_en)
    page.updated_at = timezone.now()
    page.updated_by = edited_by
    page._history_user = edited_by
    page.save()
    return page


@transaction.atomic
def page_image_add(*, image, alt_sv: str, alt_en: str, uploaded_by: User) -> PageImage:
    picture = PageImage(image=image, alt_sv=alt_sv.strip(), alt_en=alt_en.strip(), uploaded_by=uploaded_by)
    picture._history_user = uploaded_by
    picture.save()
    return picture


# Local contact sheet ---------------------------------------------------------------

CONTACT_ROLES = (
    Membership.Role.POLICE,
    Membership.Role.CUSTOMS,
    Membership.Role.MUNICIPALITY,
    Membership.Role.COORDINATOR,
)


def published_contacts(groups) -> list[Membership]:
    """The members a working group shows to the public: police, customs, then the municipality."""
    order = {role: i for i, role in enumerate(CONTACT_ROLES)}
    rows = (
        Membership.objects.filter(working_group__in=groups, publish_contact=True, user__is_active=True)
        .select_related("user", "working_group__municipality")
        .order_by("working_group__name", "user__name")
    )
    return sorted(rows, key=lambda m: (m.working_group.name, order.get(m.role, 99), m.user.name))


@transaction.atomic
def contact_sheet_choose(*, group: WorkingGroup, membership_ids, chosen_by: User) -> int:
    """Publish exactly the chosen members of the group; returns how many changed."""
    chosen = {int(pk) for pk in membership_ids}
    changed = []
    for membership in group.memberships.select_for_update():
        wanted = membership.pk in chosen
        if membership.publish_contact != wanted:
            membership.publish_contact = wanted
            changed.append(membership)
    if changed:
        bulk_update_with_history(changed, Membership, ["publish_contact"], default_user=chosen_by)
    return len(changed)


# Accessibility reports ---------------------------------------------------------------


@transaction.atomic
def accessibility_report_submit(*, page_url: str, message: str, name: str = "", email: str = "") -> AccessibilityReport:
    """Store the report and mail it to every administrator through the outbox."""
    report = AccessibilityReport.objects.create(page_url=page_url[:500], message=message, name=name, email=email)
    admins = User.objects.filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True), is_active=True).only(
        "pk", "email", "language"
    )
    outbox.enqueue(emails.accessibility_report_mail(report, admin) for admin in admins)
    return report
