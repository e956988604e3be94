import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followup.personal_data import validate_no_personal_data
from municipalities.models import municipality_q

SUMMARY_MAX_LENGTH = 1000


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "meeting__working_group__municipality")).select_related(
            "meeting__working_group__municipality", "follow_up_meeting"
        )

    def not_done(self):
        return self.exclude(state=FollowUp.State.DONE)

    def overdue(self, today=None):
        return self.not_done().filter(due_date__lt=today or timezone.localdate())

    def overdue_first(self, today=None):
        """Overdue ones first, then by due date: the order of every follow-up list."""
        today = today or timezone.localdate()
        return self.annotate(
            overdue_rank=models.Case(
                models.When(Q(due_date__lt=today) & ~Q(state=FollowUp.State.DONE), then=0),
                models.When(state=FollowUp.State.DONE, then=2),
                default=1,
            )
        ).order_by("overdue_rank", "due_date", "pk")


class FollowUp(models.Model):
    """Step 5: the follow-up about a year after a collaboration meeting.

    A row with a due date, not a delayed task: the daily task reads due dates and
    sends two reminders, as many days ahead as the working group chose (60 and 14 by
    default); the sent times make that safe to repeat.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Ej planerad")
        PLANNED = "planned", _("Planerad")
        DONE = "done", _("Genomförd")

    meeting = models.OneToOneField(
        "meetings.Meeting", models.CASCADE, related_name="follow_up", verbose_name=_("samverkansmöte")
    )
    due_date = models.DateField(_("ska följas upp senast"))
    state = models.CharField(_("status"), max_length=20, choices=State, default=State.OPEN)
    first_reminder_sent_at = models.DateTimeField(_("första påminnelsen"), null=True, blank=True)
    second_reminder_sent_at = models.DateTimeField(_("andra påminnelsen"), null=True, blank=True)
    # When the county officers were told that the follow-up is overdue; once per follow-up.
    escalated_at = models.DateTimeField(_("försenad, länsstyrelsen meddelad"), null=True, blank=True)
    follow_up_meeting = models.ForeignKey(
        "meetings.Meeting",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_up",
        verbose_name=_("uppföljningsmöte"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        indexes = [
            # The daily reminder task and the overdue lists read open rows by due date.
            models.Index(fields=["state", "due_date"], name="followup_state_due_idx"),
        ]

    def __str__(self):
        return f"{self.meeting} → {self.due_date}"

    def get_absolute_url(self):
        return reverse("followup:followup_detail", args=[self.pk])

    @property
    def working_group(self):
        return self.meeting.working_group

    @property
    def is_overdue(self) -> bool:
        return self.state != self.State.DONE and self.due_date < timezone.localdate()


class SeizureFeedbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "working_group__municipality")).select_related(
            "working_group__municipality", "recorded_by"
        )


class SeizureFeedback(models.Model):
    """Police or customs feedback on seizures (beslag) for a period, in general terms only."""

    working_group = models.ForeignKey(
        "municipalities.WorkingGroup", models.CASCADE, related_name="seizure_feedback", verbose_name=_("arbetsgrupp")
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    summary = models.TextField(
        _("sammanfattning"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH), validate_no_personal_data],
        help_text=_(
            "Högst 1 000 tecken. Inga personuppgifter: inga namn, adresser, ärendenummer eller annat som pekar ut en person."
        ),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SeizureFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("återkoppling om beslag")
        verbose_name_plural = _("återkoppling om beslag")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="seizure_feedback_period_ordered"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("summary"), SUMMARY_MAX_LENGTH),
                name="seizure_feedback_summary_max_length",
            ),
        ]

    def __str__(self):
        return f"{self.working_group}: {self.period_start}–{self.period_end}"

    def clean(self):
        if self.period_end and self.period_end > timezone.localdate():
            raise ValidationError({"period_end": _("Perioden kan inte sluta i framtiden. Återkoppla om beslag som redan har skett.")})


class SurveyPhase(models.TextChoices):
    """The same questions three times: the baseline at registration, after the meeting, at the follow-up."""

    BEFORE = "before", _("Vid anmälan")
    AFTER_MEETING = "after", _("Efter mötet")
    BEFORE_FOLLOW_UP = "before_follow_up", _("Inför uppföljningen")


# Fewer answers than this are never shown: with three answers, who said what is easy to guess.
SURVEY_MIN_ANSWERS = 5


def random_id() -> int:
    return secrets.randbelow(2**62) + 1


class SurveyInvitation(models.Model):
    """A participant's one-time link to the survey. The answers are stored elsewhere,
    with no reference back to this row, so a response cannot be traced to a person."""

    registration = models.ForeignKey("meetings.Registration", models.CASCADE, related_name="survey_invitations")
    phase = models.CharField(max_length=20, choices=SurveyPhase)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answered = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "phase"], name="survey_invitation_once_per_phase"),
        ]

    def __str__(self):
        return f"{self.registration_id} ({self.phase})"


class SurveyResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "meeting__working_group__municipality"))


class SurveyResponse(models.Model):
    """One anonymous answer: the meeting and the answers, nothing about who gave them.

    Only the date is kept (no time), so the row cannot be matched to an invitation
    by when it arrived, and the key is random, so the order of the rows does not follow
    the order of the registrations (a baseline answer is given with a registration)."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    meeting = models.ForeignKey("meetings.Meeting", models.CASCADE, related_name="survey_responses")
    phase = models.CharField(_("tillfälle"), max_length=20, choices=SurveyPhase)
    safety = models.PositiveSmallIntegerField(_("trygghet"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    knows_contact = models.BooleanField(_("vet när och hur polisen kontaktas"))
    would_report = models.BooleanField(_("skulle anmäla"))
    answered_on = models.DateField(default=timezone.localdate)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_on"]
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        constraints = [
            models.CheckConstraint(condition=Q(safety__gte=1, safety__lte=5), name="survey_safety_1_to_5"),
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.safety}"
