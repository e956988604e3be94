"""The working group's yearly report to the leadership that decided (handbook 4.2.4).

Figures come from the same rows the portal keeps everywhere else: held meetings, who was
checked in, the workplaces they came from, decals handed out and ordered, seizure feedback,
the criteria, the goals and the action plan. A fixed number of queries whatever the year holds.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from decals.models import DecalIssue, DecalOrder
from followup import criteria
from followup.models import SeizureFeedback, SurveyResponse
from followup.selectors import survey_by_phase
from meetings.models import Meeting, Registration
from municipalities.models import ActionItem, Goal, WorkingGroup


@dataclass
class Figures:
    meetings_held: int
    participants: int
    workplaces: int
    decals_issued: int
    decals_ordered: int


def report_years(group: WorkingGroup) -> list[int]:
    """The years the group has held meetings in, and this year."""
    years = {timezone.localdate().year}
    years.update(d.year for d in Meeting.objects.filter(working_group=group).dates("starts_at", "year"))
    return sorted(years, reverse=True)


def group_year_report(group: WorkingGroup, year: int) -> dict:
    held = (
        Meeting.objects.filter(working_group=group, status=Meeting.Status.HELD, starts_at__year=year)
        .annotate(present=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))
        .order_by("starts_at")
    )
    held = list(held)
    attended = Registration.objects.filter(meeting__in=[m.pk for m in held], checked_in_at__isnull=False)
    figures = Figures(
        meetings_held=len(held),
        participants=attended.values("contact").distinct().count(),
        workplaces=attended.values("contact__site").distinct().count(),
        decals_issued=DecalIssue.objects.filter(meeting__in=[m.pk for m in held]).aggregate(n=Sum("quantity"))["n"]
        or 0,
        decals_ordered=DecalOrder.objects.filter(
            site__municipality=group.municipality_id,
            placed_at__year=year,
            state__in=[DecalOrder.State.APPROVED, DecalOrder.State.SHIPPED],
        ).aggregate(n=Sum("quantity"))["n"]
        or 0,
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    feedback = SeizureFeedback.objects.filter(working_group=group, period_start__lte=end, period_end__gte=start).order_by(
        "period_start"
    )
    actions = list(ActionItem.objects.filter(working_group=group).select_related("owner").order_by("status", "due_date"))
    action_counts = {status: 0 for status in ActionItem.Status.values}
    for action in actions:
        action_counts[action.status] += 1
    return {
        "group": group,
        "year": year,
        "figures": figures,
        "meetings": held,
        "feedback": list(feedback),
        "status": criteria.group_status(group),
        "goals": list(Goal.objects.filter(working_group=group)),
        "actions": actions,
        "action_counts": [(ActionItem.Status(s).label, n) for s, n in action_counts.items()],
        "overdue": sum(1 for a in actions if a.is_overdue),
        "survey": survey_by_phase(
            SurveyResponse.objects.filter(meeting__working_group=group, meeting__starts_at__year=year)
        ),
        "generated": timezone.localtime(),
    }
