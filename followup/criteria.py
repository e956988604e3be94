"""The handbook's criteria (section 4.3) and the five steps, computed from data.

``annotate_status`` adds one EXISTS per fact to a WorkingGroup queryset, so the
status of one group or of every group in Sweden is a single query.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from decals.models import DecalIssue, DecalOrder
from followup.models import FollowUp, SeizureFeedback
from meetings.models import (
    COLLABORATION_KINDS,
    Contact,
    CountyMeeting,
    CountyMeetingParticipant,
    Meeting,
    MeetingInstructor,
)
from municipalities.models import ActionItem, CommunicationItem, Membership, SituationEntry, WorkingGroup

COMPONENTS = {
    "collaboration": _("Samverkan och mobilisering"),
    "knowledge": _("Kunskap"),
    "visibility": _("Synlighet"),
}


@dataclass(frozen=True)
class Criterion:
    key: str
    component: str
    label: str
    missing: str


CRITERIA = [
    Criterion(
        "police_and_municipality",
        "collaboration",
        _("Polis och kommun samverkar i arbetsgruppen"),
        _("Lägg till minst en medlem från polisen och en från kommunen i arbetsgruppen."),
    ),
    Criterion(
        "joint_invitation",
        "collaboration",
        _("Polis och kommun bjuder in gemensamt"),
        _("Planera ett samverkansmöte med en instruktör från polisen eller Tullverket."),
    ),
    Criterion(
        "meeting_held",
        "knowledge",
        _("Dialog på samverkansmöte"),
        _("Genomför ett samverkansmöte och markera det som genomfört."),
    ),
    Criterion(
        "network",
        "knowledge",
        _("Det finns ett lokalt nätverk"),
        _("Inga kontaktpersoner är med i det lokala nätverket än."),
    ),
    Criterion(
        "decals",
        "visibility",
        _("Dekaler är utdelade eller beställda"),
        _("Registrera utdelade dekaler på ett möte, eller låt ombuden beställa dekaler."),
    ),
    Criterion(
        "media",
        "visibility",
        _("Synlighet i media eller sociala medier"),
        _("Genomför en insats i kommunikationsplanen i press, media eller sociala medier."),
    ),
    Criterion(
        "seizure_feedback",
        "visibility",
        _("Återkoppling om beslag"),
        _("Polisen eller Tullverket behöver lämna återkoppling om beslag."),
    ),
]

STEP_LABELS = dict(WorkingGroup.Step.choices)
STEP_MISSING = {
    "decision": _("Registrera beslutsdatum och vem som beslutade."),
    "members": _("Arbetsgruppen behöver medlemmar från både polisen och kommunen."),
    "situation": _("Skriv in en lägesbild."),
    "actions": _("Lägg in minst en åtgärd i åtgärdsplanen."),
    "communication": _("Lägg in minst en insats i kommunikationsplanen."),
    "trained_instructor": _(
        "Arbetsgruppen har ingen utbildad instruktör. Anmäl polis, Tullverket eller samordnare "
        "till länsstyrelsens instruktörsutbildning."
    ),
    "meeting_held": _("Genomför ett samverkansmöte."),
    "followup_done": _("Genomför uppföljningen av ett samverkansmöte."),
}


@dataclass
class CriterionResult:
    criterion: Criterion
    holds: bool

    @property
    def key(self):
        return self.criterion.key

    @property
    def label(self):
        return self.criterion.label

    @property
    def missing(self):
        return "" if self.holds else self.criterion.missing


@dataclass
class GroupStatus:
    group_id: int
    step: int
    step_label: str
    missing_for_step: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    complete: bool = False

    @property
    def held(self) -> int:
        return sum(1 for c in self.criteria if c.holds)

    def by_component(self):
        return [
            (label, [c for c in self.criteria if c.criterion.component == key]) for key, label in COMPONENTS.items()
        ]

    def holds(self, key: str) -> bool:
        return next(c.holds for c in self.criteria if c.key == key)


def _decal_exists():
    """Decals handed out at the group's meetings, or ordered (not rejected) by workplaces in its municipality."""
    return Exists(DecalIssue.objects.filter(meeting__working_group=OuterRef("pk"))) | Exists(
        DecalOrder.objects.filter(site__municipality=OuterRef("municipality_id")).exclude(
            state=DecalOrder.State.REJECTED
        )
    )


def annotate_status(groups):
    """Annotate each group with the facts the criteria and steps are computed from."""
    held = Meeting.objects.filter(
        working_group=OuterRef("pk"), kind__in=COLLABORATION_KINDS, status=Meeting.Status.HELD
    )
    return groups.annotate(
        has_police=Exists(Membership.objects.filter(working_group=OuterRef("pk"), role=Membership.Role.POLICE)),
        has_municipality=Exists(
            Membership.objects.filter(
                working_group=OuterRef("pk"), role__in=[Membership.Role.COORDINATOR, Membership.Role.MUNICIPALITY]
            )
        ),
        has_joint_invitation=Exists(
            MeetingInstructor.objects.filter(
                meeting__working_group=OuterRef("pk"),
                meeting__kind__in=[*COLLABORATION_KINDS, Meeting.Kind.FOLLOW_UP],
                user__agency__in=["police", "customs"],
            ).exclude(meeting__status=Meeting.Status.CANCELLED)
        ),
        has_meeting_held=Exists(held),
        has_network=Exists(Contact.objects.in_network().filter(site__municipality=OuterRef("municipality_id"))),
        has_decals=_decal_exists(),
        has_media=Exists(
            CommunicationItem.objects.filter(
                working_group=OuterRef("pk"),
                channel__in=CommunicationItem.PUBLIC_CHANNELS,
                status=CommunicationItem.Status.DONE,
            )
        ),
        has_seizure_feedback=Exists(SeizureFeedback.objects.filter(working_group=OuterRef("pk"))),
        has_situation=Exists(SituationEntry.objects.filter(working_group=OuterRef("pk"))),
        has_trained_instructor=Exists(
            CountyMeetingParticipant.objects.filter(
                user__memberships__working_group=OuterRef("pk"),
                attended_at__isnull=False,
                meeting__kind=CountyMeeting.Kind.TRAINING,
                meeting__status=CountyMeeting.Status.HELD,
            )
        ),
        has_actions=Exists(ActionItem.objects.filter(working_group=OuterRef("pk"))),
        has_communication=Exists(CommunicationItem.objects.filter(working_group=OuterRef("pk"))),
        has_followup_done=Exists(
            FollowUp.objects.filter(meeting__working_group=OuterRef("pk")).filter(
                Q(state=FollowUp.State.DONE) | Q(follow_up_meeting__status=Meeting.Status.HELD)
            )
        ),
    )


FACT = {
    "police_and_municipality": lambda g: g.has_police and g.has_municipality,
    "joint_invitation": lambda g: g.has_joint_invitation,
    "meeting_held": lambda g: g.has_meeting_held,
    "network": lambda g: g.has_network,
    "decals": lambda g: g.has_decals,
    "media": lambda g: g.has_media,
    "seizure_feedback": lambda g: g.has_seizure_feedback,
}


def status_of(group) -> GroupStatus:
    """Step and criteria of a group annotated by ``annotate_status`` (no query)."""
    criteria = [CriterionResult(c, bool(FACT[c.key](group))) for c in CRITERIA]
    steps = [
        (WorkingGroup.Step.ANCHORING, {"decision": bool(group.decision_date)}),
        (
            WorkingGroup.Step.PREPARATION,
            {
                "members": group.has_police and group.has_municipality,
                "situation": group.has_situation,
                "actions": group.has_actions,
                "communication": group.has_communication,
                # Step 2 of the method: the county trains the group's instructors.
                "trained_instructor": group.has_trained_instructor,
            },
        ),
        (WorkingGroup.Step.IMPLEMENTATION, {"meeting_held": group.has_meeting_held}),
        (WorkingGroup.Step.FOLLOW_UP, {"followup_done": group.has_followup_done}),
    ]
    for step, checks in steps:
        missing = [STEP_MISSING[key] for key, ok in checks.items() if not ok]
        if missing:
            return GroupStatus(group.pk, int(step), STEP_LABELS[step], missing, criteria)
    step = WorkingGroup.Step.FOLLOW_UP
    return GroupStatus(group.pk, int(step), STEP_LABELS[step], [], criteria, complete=True)


def group_status(group: WorkingGroup) -> GroupStatus:
    """The status of one group: one query."""
    return status_of(annotate_status(WorkingGroup.objects.filter(pk=group.pk)).get())


def statuses(groups) -> dict[int, GroupStatus]:
    """Status of every group in the queryset, by group id: one query."""
    return {g.pk: status_of(g) for g in annotate_status(groups)}
