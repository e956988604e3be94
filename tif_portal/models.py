from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tif_portal.storage import get_private_storage


def _scope_q(user, path: str, *, personal_data: bool = False) -> Q:
    """The user's scope, asked of the user (``User.scope_q``): the plumbing imports no app."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return user.scope_q(path, personal_data=personal_data)

class OutboundEmailQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(_scope_q(user, "municipality", personal_data=True))

    def due(self, now=None):
        """Rows a worker may claim: waiting ones, and claims whose worker died."""
        now = now or timezone.now()
        waiting = Q(state__in=[OutboundEmail.State.QUEUED, OutboundEmail.State.RETRYING], next_attempt_at__lte=now)
        abandoned = Q(state=OutboundEmail.State.SENDING, claimed_until__lt=now)
        return self.filter(waiting | abandoned)


class OutboundEmail(models.Model):
    """A mail in the outbox: written with the change that causes it, delivered by a task.

    The unique key makes enqueueing idempotent; the claim token fences delivery so
    that a row reclaimed after a worker died is never sent by two workers.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Köad")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickad")
        RETRYING = "retrying", _("Försöker igen")
        FAILED = "failed", _("Misslyckad")

    key = models.CharField(max_length=200, unique=True)
    purpose = models.CharField(_("syfte"), max_length=40)
    batch = models.CharField(max_length=100, blank=True, db_index=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, models.SET_NULL, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    to = models.EmailField(_("mottagare"), max_length=254)
    language = models.CharField(max_length=5, default="sv")
    renderer = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("ämne"), max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    body_purged_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        indexes = [
            # The claim query: due rows by state and time.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="outbox_about_idx"),
        ]

    # What each kind of mail is called where people see it (the outbox pages). A kind missing
    # here is shown as "E-post" rather than as its code.
    PURPOSE_LABELS = {
        "accessibility_report": _("Tillgänglighetsrapport"),
        "actions_digest": _("Sammanställning av åtgärder"),
        "contact_link": _("Inloggningslänk"),
        "decal_order": _("Dekalbeställning"),
        "followup_escalation": _("Försenad uppföljning"),
        "followup_reminder": _("Påminnelse om uppföljning"),
        "instructor_declined": _("Instruktör har tackat nej"),
        "invitation": _("Inbjudan"),
        "meeting_moved": _("Mötet har flyttats"),
        "meeting_cancelled": _("Mötet är inställt"),
        "meeting_instructor_assigned": _("Instruktörsuppdrag"),
        "meeting_instructor_moved": _("Instruktörsuppdrag: mötet har flyttats"),
        "meeting_instructor_removed": _("Instruktörsuppdrag avslutat"),
        "meeting_instructor_cancelled": _("Instruktörsuppdrag: mötet är inställt"),
        "minutes": _("Minnesanteckningar"),
        "network": _("Nyhet till nätverket"),
        "registration": _("Anmälningsbekräftelse"),
        "reminder": _("Påminnelse om mötet"),
        "survey": _("Enkät"),
        "system": _("Meddelande från portalen"),
        "waiting_list_joined": _("Plats på väntelistan"),
        "waiting_list_promoted": _("Plats från väntelistan"),
    }

    def __str__(self):
        return f"{self.purpose} → {self.to} ({self.get_state_display()})"

    def get_purpose_display(self) -> str:
        return str(self.PURPOSE_LABELS.get(self.purpose, _("E-post")))


class DeliveryAttempt(models.Model):
    """One try to hand a mail to the SMTP server, with what the server answered."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Skickad")
        TEMPORARY = "temporary", _("Tillfälligt fel")
        PERMANENT = "permanent", _("Permanent fel")

    email = models.ForeignKey(OutboundEmail, models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome)
    smtp_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["email", "at"]

    def __str__(self):
        return f"{self.email_id} {self.outcome} {self.at:%Y-%m-%d %H:%M:%S}"


class BackgroundJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobs of the municipalities the user may see; coordinators see the ones they started too."""
        return self.filter(_scope_q(user, "municipality")).select_related("municipality", "created_by")


class BackgroundJob(models.Model):
    """Long work started from a page (e.g. 500 invitation letters), with progress and a result file.

    Work is split into parts that workers do in parallel; ``parts_done`` records which
    parts have finished so that a part run twice is counted once, and the part that
    completes the set starts the final step.
    """

    class Kind(models.TextChoices):
        INVITATION_LETTERS = "invitation_letters", _("Inbjudningsbrev")

    class State(models.TextChoices):
        QUEUED = "queued", _("Väntar")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    kind = models.CharField(_("typ"), max_length=40, choices=Kind)
    params = models.JSONField(default=dict, blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality", models.CASCADE, related_name="+", verbose_name=_("kommun")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("startat av")
    )
    total = models.PositiveIntegerField(_("totalt"), default=0)
    done = models.PositiveIntegerField(_("klart"), default=0)
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.JSONField(default=list, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.QUEUED)
    result = models.FileField(_("resultat"), upload_to="jobs/", blank=True, storage=get_private_storage)
    error = models.TextField(_("fel"), blank=True)
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    finished_at = models.DateTimeField(_("klart"), null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bakgrundsjobb")
        verbose_name_plural = _("bakgrundsjobb")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="background_job_done_within_total"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        # The merge after the last part is the final step: stop at 99 until it is done.
        return min(99, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
