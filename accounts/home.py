"""What each role's start page shows. Each function is a handful of queries."""

from django.db.models import Count, Q

from followup import selectors as followup_selectors
from meetings.models import ChecklistItem, Meeting
from municipalities import selectors as municipality_selectors
from municipalities.models import WorkingGroup


def coordinator_start(user) -> dict:
    meetings = Meeting.objects.visible_to(user).upcoming().annotate(
        registered=Count("registrations", filter=~Q(registrations__status="cancelled"))
    )[:10]
    open_tasks = (
        ChecklistItem.objects.filter(meeting__in=Meeting.objects.visible_to(user).upcoming(), done_at__isnull=True)
        .select_related("meeting")
        .order_by("meeting__starts_at", "position")[:10]
    )
    return {
        "groups": WorkingGroup.objects.visible_to(user),
        "meetings": meetings,
        "open_tasks": open_tasks,
        **followup_selectors.coordinator_panels(user),
    }


def instructor_start(user) -> dict:
    meetings = (
        Meeting.objects.filter(instructors=user)
        .upcoming()
        .select_related("working_group__municipality")
        .annotate(registered=Count("registrations", filter=~Q(registrations__status="cancelled")))
    )
    return {"meetings": meetings, "groups": WorkingGroup.objects.visible_to(user)}


def member_start(user) -> dict:
    """A group member reads what their groups plan: coming meetings, no participants."""
    return {"meetings": Meeting.objects.visible_to(user).upcoming()[:10], "groups": WorkingGroup.objects.visible_to(user)}


def county_start(user) -> dict:
    return {"county": user.county, "municipalities": municipality_selectors.county_overview(user, user.county)}


def admin_start(user) -> dict:
    return {
        "groups": WorkingGroup.objects.visible_to(user).count(),
        "meetings": Meeting.objects.upcoming().select_related("working_group__municipality")[:10],
    }


def start_context(user) -> tuple[str, dict]:
    if user.is_admin:
        return "home/admin.html", admin_start(user)
    if user.is_county_officer:
        return "home/county_officer.html", county_start(user)
    if user.is_instructor:
        return "home/instructor.html", instructor_start(user)
    if user.is_member:
        return "home/member.html", member_start(user)
    return "home/coordinator.html", coordinator_start(user)
