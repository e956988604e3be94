"""Reads that several pages share: follow-up lists, start-page panels, survey results."""

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from followup.models import SURVEY_MIN_ANSWERS, FollowUp, SeizureFeedback, SurveyPhase, SurveyResponse
from municipalities.models import WorkingGroup
from municipalities.selectors import actions_due

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


def _shown(row: dict) -> dict:
    """A row of counts with its figures, or hidden when too few answered to keep them anonymous."""
    n = row["n"]
    if n < SURVEY_MIN_ANSWERS:
        return {**row, "hidden": True, "safety": None, "knows_pct": None, "report_pct": None}
    return {
        **row,
        "hidden": False,
        "knows_pct": round(100 * row["knows"] / n),
        "report_pct": round(100 * row["report"] / n),
    }


_COUNTS = {
    "n": Count("id"),
    "safety": Avg("safety"),
    "knows": Count("id", filter=Q(knows_contact=True)),
    "report": Count("id", filter=Q(would_report=True)),
}


def survey_summary(responses):
    """Count, mean safety and share answering yes, per phase and quarter of the meeting: one query.

    A row with fewer than ``SURVEY_MIN_ANSWERS`` answers shows its count only.
    """
    rows = (
        responses.annotate(quarter=TruncQuarter("meeting__starts_at"))
        .values("quarter", "phase")
        .annotate(**_COUNTS)
        .order_by("quarter", "phase")
    )
    return [_shown(row) for row in rows]


def survey_by_phase(responses) -> list[dict]:
    """The same questions before, after and at the follow-up, side by side: one query.

    Every phase has a row, in the order they are asked; one with too few answers is hidden.
    """
    found = {row["phase"]: row for row in responses.values("phase").annotate(**_COUNTS).order_by()}
    empty = {"n": 0, "safety": None, "knows": 0, "report": 0}
    return [
        _shown({**found.get(phase, empty), "phase": phase, "label": label}) for phase, label in SurveyPhase.choices
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
