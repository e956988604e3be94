from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from municipalities.models import ActionItem, Municipality, WorkingGroup


def county_overview(user, county):
    """Municipalities of a county with group and meeting counts: one query."""
    now = timezone.now()
    return (
        Municipality.objects.visible_to(user)
        .filter(county=county)
        .annotate(
            group_count=Count("working_groups", distinct=True),
            meetings_held=Count(
                "working_groups__meetings",
                filter=Q(working_groups__meetings__starts_at__lt=now) & ~Q(working_groups__meetings__status="cancelled"),
                distinct=True,
            ),
            meetings_planned=Count(
                "working_groups__meetings",
                filter=Q(working_groups__meetings__starts_at__gte=now) & ~Q(working_groups__meetings__status="cancelled"),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def groups_for(user):
    return WorkingGroup.objects.visible_to(user).annotate(member_count=Count("memberships"))


def actions_due(*, groups, today: date | None = None, within_days: int = 14):
    """Action items not done and due within ``within_days`` (overdue ones included), overdue first."""
    today = today or timezone.localdate()
    return (
        ActionItem.objects.filter(working_group__in=groups, due_date__lte=today + timedelta(days=within_days))
        .exclude(status=ActionItem.Status.DONE)
        .select_related("working_group", "owner")
        .order_by("due_date", "pk")
    )
