"""Personal API tokens, and webhook subscriptions with their deliveries."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TOKEN_PREFIX = "tif_"


def token_digest(raw: str) -> str:
    """What is stored of a token: its SHA-256. The token is 32 random bytes, so a plain hash is
    enough (a slow password hash protects guessable secrets, which these are not)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A personal token that lets a program act as its owner, with the owner's role scoping.

    Only the digest is kept; the token itself is shown once, when it is made.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Läsa")
        WRITE = "write", _("Läsa och skriva")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("namn"), max_length=100, help_text=_("Vad nyckeln används till, t.ex. ”Ombudslistan”."))
    # The first characters, to tell tokens apart in lists and logs without revealing them.
    hint = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("behörighet"), max_length=10, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    expires_at = models.DateTimeField(_("gäller till"))
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=["read", "write"]), name="api_token_scope_known"),
        ]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class WebhookQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A subscription is its owner's own, like the tokens."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Webhook(models.Model):
    """An address that wants pushes about some events, signed with its own secret.

    A push carries only what its owner may see: each event is checked against the owner's
    role scoping when it happens.
    """

    class Event(models.TextChoices):
        REGISTRATION_CREATED = "registration.created", _("Ny anmälan till ett möte")
        MEETING_CANCELLED = "meeting.cancelled", _("Ett möte är inställt")
        DECAL_ORDER_STATE = "decal_order.state_changed", _("En dekalbeställning har ny status")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="webhooks")
    url = models.URLField(_("adress"), max_length=500)
    events = models.JSONField(_("händelser"), default=list)
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["secret"])
    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class WebhookDeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(webhook__owner=user)

    def due(self, now=None):
        """Deliveries a worker may claim: waiting ones, and claims whose worker died."""
        now = now or timezone.now()
        waiting = Q(state__in=[WebhookDelivery.State.QUEUED, WebhookDelivery.State.RETRYING], next_attempt_at__lte=now)
        abandoned = Q(state=WebhookDelivery.State.SENDING, claimed_until__lt=now)
        return self.filter(waiting | abandoned)


class WebhookDelivery(models.Model):
    """One event for one subscription: written with the change, delivered by a task.

    As with the mail outbox, the unique key makes writing it idempotent and the claim token
    fences delivery, so a delivery reclaimed from a dead worker is never posted by two.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Köad")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Levererad")
        RETRYING = "retrying", _("Försöker igen")
        FAILED = "failed", _("Misslyckad")

    webhook = models.ForeignKey(Webhook, models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=200, unique=True)
    event = models.CharField(_("händelse"), max_length=40, choices=Webhook.Event)
    payload = models.JSONField()
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    delivered_at = models.DateTimeField(_("levererad"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook-leverans")
        verbose_name_plural = _("webhook-leveranser")
        indexes = [
            # The claim query: due deliveries by state and time.
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.webhook.url} ({self.get_state_display()})"


class WebhookAttempt(models.Model):
    """One try to post a delivery, with what the receiver answered: the visible delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, models.CASCADE, related_name="attempts_log")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.status_code or '-'} {self.at:%Y-%m-%d %H:%M:%S}"
