"""Reads that several pages share: follow-up lists, start-page panels, survey results."""

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from followup.models import FollowUp, SeizureFeedback, SurveyResponse
from followup.services import actions_due
from municipalities.models import WorkingGroup

# Follow-ups this close to their due date appear on the start page.
START_PAGE_DAYS = 60


def followups_for(user):
    """Every follow-up the user may see, overdue first, then by due date."""
    return FollowUp.objects.visible_to(user).overdue_first()


def coordinator_panels(user) -> dict:
    """Follow-ups and actions that need attention, for the coordinator's start page: two queries."""
    today = timezone.localdate()
    groups = WorkingGroup.objects.visible_to(user)
    followups = (
        FollowUp.objects.visible_to(user)
        .not_done()
        .filter(due_date__lte=today + timedelta(days=START_PAGE_DAYS))
        .overdue_first(today)[:10]
    )
    return {
        "followups_due": followups,
        "actions_due": actions_due(groups=groups, today=today)[:10],
        "today": today,
    }


def survey_summary(responses):
    """Count, mean safety and share answering yes, per phase and quarter of the meeting: one query."""
    rows = (
        responses.annotate(quarter=TruncQuarter("meeting__starts_at"))
        .values("quarter", "phase")
        .annotate(
            n=Count("id"),
            safety=Avg("safety"),
            knows=Count("id", filter=Q(knows_contact=True)),
            report=Count("id", filter=Q(would_report=True)),
        )
        .order_by("quarter", "phase")
    )
    return [
        {
            **row,
            "knows_pct": round(100 * row["knows"] / row["n"]),
            "report_pct": round(100 * row["report"] / row["n"]),
        }
        for row in rows
    ]


def group_survey_results(group):
    return survey_summary(SurveyResponse.objects.filter(meeting__working_group=group))


def group_followup_sections(group) -> dict:
    """What the group page shows about step 5: a few follow-ups and the latest seizure feedback."""
    return {
        "group_followups": FollowUp.objects.filter(meeting__working_group=group)
        .select_related("meeting", "follow_up_meeting")
        .overdue_first()[:5],
        "group_feedback": SeizureFeedback.objects.filter(working_group=group).select_related("recorded_by")[:3],
    }
