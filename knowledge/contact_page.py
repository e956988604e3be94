"""Sections of the agent contact's own page: registrations, local contacts, network, personal data."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from knowledge.models import Material
from knowledge.services import published_contacts
from meetings.models import Registration
from municipalities.models import WorkingGroup
from tif_portal import contact_page


def _url(name: str, *args) -> str:
    """A link to another app's page, or "" while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@contact_page.section(order=10, template="knowledge/includes/contact_registrations.html")
def registrations(user, contacts):
    rows = (
        Registration.objects.filter(contact__in=contacts)
        .select_related("meeting__working_group__municipality", "contact")
        .order_by("-meeting__starts_at")
    )
    now = timezone.now()
    items = []
    for registration in rows:
        upcoming = registration.meeting.starts_at > now and registration.status != Registration.Status.CANCELLED
        items.append(
            {
                "registration": registration,
                "upcoming": upcoming,
                "change_url": _url("meetings:registration_change", registration.token) if upcoming else "",
            }
        )
    return {"items": items}


@contact_page.section(order=30, template="knowledge/includes/contact_local_contacts.html")
def local_contacts(user, contacts):
    municipalities = {c.site.municipality_id for c in contacts}
    groups = list(WorkingGroup.objects.filter(municipality_id__in=municipalities).select_related("municipality"))
    return {"groups": groups, "contacts": published_contacts(groups)}


@contact_page.section(order=40, template="knowledge/includes/contact_network.html")
def network(user, contacts):
    members = [c for c in contacts if c.in_network and c.left_network_at is None]
    return {"members": members, "left": [c for c in contacts if c.left_network_at]}


@contact_page.section(order=90, template="knowledge/includes/contact_privacy.html")
def personal_data(user, contacts):
    return {}


@contact_page.section(order=15, template="knowledge/includes/contact_material.html")
def meeting_material(user, contacts):
    """Material from the meetings the contact registered for, each behind its registration's own link."""
    registrations = (
        Registration.objects.filter(contact__in=contacts, meeting__materials__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("meeting")
        .distinct()
        .order_by("-meeting__starts_at")
    )
    materials = {}
    for item in Material.objects.filter(meeting__in=[r.meeting_id for r in registrations]):
        materials.setdefault(item.meeting_id, []).append(item)
    return {"meetings": [(r, materials.get(r.meeting_id, [])) for r in registrations]}
