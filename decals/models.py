from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import municipality_q


class DecalSize(models.TextChoices):
    A6 = "A6", _("A6 (liten, 105 × 148 mm)")
    A5 = "A5", _("A5 (mellan, 148 × 210 mm)")
    A4 = "A4", _("A4 (stor, 210 × 297 mm)")


class DecalIssueQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "site__municipality")).select_related("site", "meeting")


class DecalIssue(models.Model):
    """Decals of one size handed out to a workplace at a meeting: one row per handing-out.

    Handing out more later adds a row; a wrong entry is changed or removed, and the
    county's stock follows (DecalStockMovement), so the history shows every step.
    """

    meeting = models.ForeignKey("meetings.Meeting", models.CASCADE, related_name="decal_issues", verbose_name=_("möte"))
    site = models.ForeignKey(
        "meetings.Site", models.PROTECT, related_name="decal_issues", verbose_name=_("arbetsplats")
    )
    size = models.CharField(_("storlek"), max_length=2, choices=DecalSize, default=DecalSize.A5)
    quantity = models.PositiveSmallIntegerField(_("antal"), default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = DecalIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("utdelad dekal")
        verbose_name_plural = _("utdelade dekaler")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="decal_issue_quantity_positive"),
            models.CheckConstraint(condition=Q(size__in=["A4", "A5", "A6"]), name="decal_issue_size_known"),
        ]
        indexes = [
            # The meeting's handing-outs, and the sums per site that statistics and eligibility read.
            models.Index(fields=["meeting", "site"], name="decal_issue_meeting_site_idx"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.size} {self.site} ({self.meeting})"


class CountyDecalSettings(models.Model):
    """How a county handles decal orders: who may handle them and how long a meeting counts."""

    county = models.OneToOneField(
        "municipalities.County", models.CASCADE, related_name="decal_settings", verbose_name=_("län")
    )
    coordinators_may_handle_orders = models.BooleanField(
        _("kommunala samordnare får hantera beställningar"),
        default=False,
        help_text=_("Samordnare hanterar då beställningar från arbetsplatser i sina egna kommuner."),
    )
    eligibility_years = models.PositiveSmallIntegerField(
        _("år som ett möte räknas"),
        default=3,
        help_text=_("En arbetsplats kan beställa om någon därifrån deltog i ett möte inom så här många år."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["county__code"]
        verbose_name = _("dekalinställningar för län")
        verbose_name_plural = _("dekalinställningar för län")
        constraints = [
            models.CheckConstraint(condition=Q(eligibility_years__gte=1), name="decal_settings_years_positive"),
        ]

    def __str__(self):
        return f"{self.county}"


class DecalOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Orders a user may handle: county officers their county, administrators all, and
        coordinators their own municipalities where the county allows it."""
        q = municipality_q(user, "site__municipality")
        if getattr(user, "is_authenticated", False) and not (user.is_admin or user.is_county_officer):
            if not user.is_coordinator:
                return self.none()
            q &= Q(site__municipality__county__decal_settings__coordinators_may_handle_orders=True)
        return self.filter(q).select_related("site__municipality__county", "contact")

    def of_contacts(self, contacts):
        """The orders that the given contacts (one person's rows) placed themselves."""
        return self.filter(contact__in=contacts).select_related("site")


class DecalOrder(models.Model):
    """A workplace's order for window decals, placed by one of its contacts."""

    Size = DecalSize

    class State(models.TextChoices):
        PLACED = "placed", _("Lagd")
        APPROVED = "approved", _("Godkänd")
        SHIPPED = "shipped", _("Skickad")
        REJECTED = "rejected", _("Avslagen")

    site = models.ForeignKey(
        "meetings.Site", models.PROTECT, related_name="decal_orders", verbose_name=_("arbetsplats")
    )
    contact = models.ForeignKey(
        "meetings.Contact", models.SET_NULL, null=True, related_name="decal_orders", verbose_name=_("beställare")
    )
    quantity = models.PositiveSmallIntegerField(_("antal"))
    size = models.CharField(_("storlek"), max_length=2, choices=Size, default=Size.A5)
    delivery_name = models.CharField(_("mottagare"), max_length=200)
    delivery_street = models.CharField(_("gatuadress"), max_length=200)
    delivery_postal_code = models.CharField(_("postnummer"), max_length=10)
    delivery_city = models.CharField(_("ort"), max_length=100)
    note = models.TextField(_("meddelande"), blank=True, max_length=1000)
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.PLACED)
    rejection_reason = models.TextField(_("skäl till avslag"), blank=True)
    placed_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    shipped_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    rejected_at = models.DateTimeField(_("avslagen"), null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()
    objects = DecalOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("dekalbeställning")
        verbose_name_plural = _("dekalbeställningar")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="decal_order_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="decal_order_rejection_has_reason"
            ),
        ]
        indexes = [
            # The county's queue: orders in a state, newest first.
            models.Index(fields=["state", "-placed_at"], name="decal_order_queue_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.quantity} × {self.size} – {self.site}"

    def get_absolute_url(self):
        return reverse("decals:order_detail", args=[self.pk])

    @property
    def delivery_address(self) -> str:
        return f"{self.delivery_name}, {self.delivery_street}, {self.delivery_postal_code} {self.delivery_city}"


class DecalOrderEvent(models.Model):
    """One step in an order's history: the state it left, the state it reached, who and when."""

    order = models.ForeignKey(DecalOrder, models.CASCADE, related_name="events")
    from_state = models.CharField(_("från"), max_length=10, choices=DecalOrder.State, blank=True)
    to_state = models.CharField(_("till"), max_length=10, choices=DecalOrder.State)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    by_contact = models.ForeignKey("meetings.Contact", models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["order", "at", "pk"]
        verbose_name = _("händelse för dekalbeställning")
        verbose_name_plural = _("händelser för dekalbeställningar")

    def __str__(self):
        return f"#{self.order_id}: {self.from_state or '–'} → {self.to_state}"

    @property
    def by_name(self) -> str:
        person = self.by_user or self.by_contact
        return str(person) if person else ""


class DecalStockQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or user.is_contact:
            return self.none()
        if user.is_admin:
            return self.select_related("county")
        if user.is_county_officer:
            return self.filter(county_id=user.county_id).select_related("county")
        return (
            self.filter(
                county__municipalities__in=municipality_q_municipalities(user),
                county__decal_settings__coordinators_may_handle_orders=True,
            )
            .distinct()
            .select_related("county")
        )


def municipality_q_municipalities(user):
    from municipalities.models import Municipality

    return Municipality.objects.filter(municipality_q(user, "")).values("pk")


class DecalStock(models.Model):
    """The decals of one size a county has in store; approving an order or handing out at a meeting draws from it."""

    county = models.ForeignKey(
        "municipalities.County", models.PROTECT, related_name="decal_stocks", verbose_name=_("län")
    )
    size = models.CharField(_("storlek"), max_length=2, choices=DecalSize, default=DecalSize.A5)
    # A signed field so the check constraint, not the type, is what refuses a negative stock.
    quantity = models.IntegerField(_("i lager"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = DecalStockQuerySet.as_manager()

    class Meta:
        ordering = ["county__code", "size"]
        verbose_name = _("dekallager")
        verbose_name_plural = _("dekallager")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="decal_stock_not_negative"),
            models.UniqueConstraint(fields=["county", "size"], name="decal_stock_once_per_county_and_size"),
            models.CheckConstraint(condition=Q(size__in=["A4", "A5", "A6"]), name="decal_stock_size_known"),
        ]

    def __str__(self):
        return f"{self.county} {self.size}: {self.quantity}"


class DecalStockMovement(models.Model):
    """A change to a county's stock of one size: decals received, drawn by an approved order,
    or handed out at a meeting (and given back when that entry is lowered or removed)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Inleverans")
        ORDER_APPROVED = "order_approved", _("Godkänd beställning")
        ISSUED = "issued", _("Utdelade på möte")
        ISSUE_CORRECTED = "issue_corrected", _("Rättad utdelning")

    stock = models.ForeignKey(DecalStock, models.CASCADE, related_name="movements")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    change = models.IntegerField(_("förändring"))
    order = models.ForeignKey(DecalOrder, models.SET_NULL, null=True, blank=True, related_name="stock_movements")
    issue = models.ForeignKey(DecalIssue, models.SET_NULL, null=True, blank=True, related_name="stock_movements")
    meeting = models.ForeignKey(
        "meetings.Meeting", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("möte")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    note = models.CharField(_("kommentar"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lagerhändelse")
        verbose_name_plural = _("lagerhändelser")
        constraints = [models.CheckConstraint(condition=~Q(change=0), name="decal_stock_movement_not_zero")]

    def __str__(self):
        return f"{self.stock.county_id} {self.stock.size}: {self.change:+d} ({self.kind})"
