from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tif_portal.storage import get_private_storage
from tif_portal.uploads import validate_document


class County(models.Model):
    """One of Sweden's 21 counties (län), with its official two-digit code."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=60, unique=True)

    class CountyQuerySet(models.QuerySet):
        def visible_to(self, user):
            """The county pages are for county officers (their own county) and administrators."""
            if not getattr(user, "is_authenticated", False):
                return self.none()
            if user.is_admin:
                return self
            if user.is_county_officer:
                return self.filter(pk=user.county_id)
            return self.none()

    objects = CountyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self):
        return self.name


# Municipalities that call themselves "stad" (the Local Government Act allows it), and names
# whose genitive is irregular. Every other name takes "kommun" after its genitive.
CITY_MUNICIPALITIES = {
    "Borås", "Göteborg", "Haparanda", "Helsingborg", "Landskrona", "Lidingö", "Malmö", "Mölndal",
    "Solna", "Stockholm", "Sundbyberg", "Trollhättan", "Vaxholm", "Västerås",
}
IRREGULAR_NAMES = {"Falun": "Falu kommun", "Gotland": "Region Gotland"}
SWEDISH_VOWELS = "aeiouyåäö"


def swedish_genitive(name: str) -> str:
    """Sundsvall → Sundsvalls; names ending in s, x, z or a vowel stay as they are (Borås, Umeå)."""
    return name if name[-1].lower() in "sxz" + SWEDISH_VOWELS else name + "s"


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "")).select_related("county")


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, with SCB's four-digit code."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=60)
    county = models.ForeignKey(County, models.PROTECT, related_name="municipalities", verbose_name=_("län"))
    logo = models.ImageField(_("logotyp"), upload_to="logos/", blank=True)

    history = HistoricalRecords(excluded_fields=["code", "name", "county"])
    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name

    @property
    def official_name(self) -> str:
        """The name a letter or mail uses: "Sundsvalls kommun", "Umeå kommun", "Malmö stad"."""
        if self.name in IRREGULAR_NAMES:
            return IRREGULAR_NAMES[self.name]
        noun = "stad" if self.name in CITY_MUNICIPALITIES else "kommun"
        return f"{swedish_genitive(self.name)} {noun}"


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "municipality")).select_related("municipality__county")


class WorkingGroup(models.Model):
    """A local working group (lokal arbetsgrupp) of police, municipality and often customs."""

    class Step(models.IntegerChoices):
        ANCHORING = 1, _("1. Förankring och beslut")
        PREPARATION = 2, _("2–3. Förberedelser")
        IMPLEMENTATION = 4, _("4. Genomförande")
        FOLLOW_UP = 5, _("5. Uppföljning")

    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="working_groups", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=120)
    description = models.TextField(_("beskrivning"), blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decided_by = models.CharField(_("beslutat av"), max_length=200, blank=True)
    decision_reference = models.CharField(
        _("diarienummer"), max_length=60, blank=True, help_text=_("Beslutets diarie- eller ärendenummer.")
    )
    # The signed decision names officials: a private file, served only to those who see the group.
    decision_document = models.FileField(
        _("beslutsdokument"), storage=get_private_storage, upload_to="decisions/", blank=True,
        validators=[validate_document],
    )
    leadership_email = models.EmailField(
        _("ledningens e-post"), blank=True,
        help_text=_("Dit årsrapporten till ledningen skickas, till exempel kommunstyrelsens registrator."),
    )
    vision = models.TextField(_("vision"), max_length=2000, blank=True)
    follow_up_months = models.PositiveSmallIntegerField(
        _("uppföljning efter (månader)"), default=12, help_text=_("Hur länge efter ett möte uppföljningen ska ske.")
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("första påminnelsen (dagar före)"), default=60,
        help_text=_("Så många dagar innan en uppföljning ska vara klar får gruppen den första påminnelsen."),
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("andra påminnelsen (dagar före)"), default=14,
        help_text=_("Den andra påminnelsen, och enkäten till deltagarna inför uppföljningen."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("arbetsgrupp")
        verbose_name_plural = _("arbetsgrupper")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="working_group_name_unique_in_municipality"),
            models.CheckConstraint(
                condition=models.Q(second_reminder_days__gte=1)
                & models.Q(first_reminder_days__gt=models.F("second_reminder_days")),
                name="working_group_reminders_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("municipalities:group_detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "working_group__municipality")).select_related(
            "user", "working_group__municipality"
        )


class Membership(models.Model):
    """A person's seat in a working group, with the role they have there."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Samordnare")
        POLICE = "police", _("Polis")
        CUSTOMS = "customs", _("Tull")
        MUNICIPALITY = "municipality", _("Kommunen, övrig")
        COUNTY = "county", _("Länsstyrelsen")
        OTHER = "other", _("Övrig")

    working_group = models.ForeignKey(
        WorkingGroup, models.CASCADE, related_name="memberships", verbose_name=_("arbetsgrupp")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("roll i gruppen"), max_length=20, choices=Role, default=Role.COORDINATOR)
    publish_contact = models.BooleanField(
        _("visa som kontakt för allmänheten"),
        default=False,
        help_text=_("Namn, roll, telefon och e-post visas på gruppens lokala kontaktblad."),
    )

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__name"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["working_group", "user"], name="membership_once_per_group"),
        ]

    def __str__(self):
        return f"{self.user} – {self.working_group} ({self.get_role_display()})"

    # The scope kept on the user object follows its seats (see visible_municipality_ids).
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._forget_user_scope()

    def delete(self, *args, **kwargs):
        self._forget_user_scope()
        return super().delete(*args, **kwargs)

    def _forget_user_scope(self):
        # Only a user object already loaded can hold a scope; loading one here would be a query.
        if Membership.user.is_cached(self):
            scope_forget(self.user)


# Role scoping: what a user may see is decided here, beside the seats that grant it. Every
# model's ``QuerySet.visible_to(user)`` builds its filter from ``municipality_q``, so a rule
# changes in one place. The tenant is the municipality: administrators see all, county officers
# their county, coordinators, instructors and members the municipalities of their working groups.
# Unknown objects then give 404, not 403.

_SCOPE_ATTRIBUTE = "_visible_municipality_ids"


def visible_municipality_ids(user) -> frozenset[int]:
    """The ids of the municipalities ``user`` may see (not for administrators, who see all).

    One query, kept on the user object: a request loads its user afresh, so the scope is
    resolved once per request and every queryset of the page filters on plain ids instead of
    composing the same subquery again. Changing a user's seats goes through
    ``scope_forget`` for objects that live longer than a request.
    """
    # Kept with the role and county it was computed for: a changed role is a new scope.
    # getattr and setattr, not the instance's __dict__: request.user is a lazy wrapper that
    # passes them on to the user, so the wrapper and the user's own methods share one copy.
    key = (user.pk, user.role, user.county_id)
    kept = getattr(user, _SCOPE_ATTRIBUTE, None)
    if kept is None or kept[0] != key:
        if user.is_county_officer:
            rows = Municipality.objects.filter(county_id=user.county_id).values_list("pk", flat=True)
        else:
            rows = Membership.objects.filter(user=user).values_list("working_group__municipality_id", flat=True)
        kept = (key, frozenset(rows))
        setattr(user, _SCOPE_ATTRIBUTE, kept)
    return kept[1]


def scope_forget(user) -> None:
    """Drop the scope kept on this user object, after their seats changed."""
    if hasattr(user, _SCOPE_ATTRIBUTE):
        delattr(user, _SCOPE_ATTRIBUTE)


def _sees_no_municipality(user) -> bool:
    return not getattr(user, "is_authenticated", False) or not user.is_active or user.is_contact


def municipality_q(user, path: str) -> Q:
    """A filter on ``path`` (a lookup ending at a Municipality; "" for Municipality itself)
    for what ``user`` may see."""
    if _sees_no_municipality(user):
        return Q(pk__in=[])
    if user.is_admin:
        # Not Q(): an empty Q vanishes when OR-ed with another condition.
        return Q(pk__isnull=False)
    # Sorted, so that the same scope gives the same SQL text.
    return Q(**{f"{path or 'pk'}__in": sorted(visible_municipality_ids(user))})


def sees_municipality(user, municipality_id: int) -> bool:
    """What ``municipality_q`` decides for one municipality, from the kept scope: no query
    for a row already fetched (the meeting of a page asking whether its user manages it)."""
    if _sees_no_municipality(user):
        return False
    return user.is_admin or municipality_id in visible_municipality_ids(user)


def personal_data_q(user, path: str) -> Q:
    """Like ``municipality_q``, for rows that name the agent staff (contacts, registrations,
    invitations, mail): only roles that manage see them. An instructor sees meetings and
    counts, never who the participants are."""
    if not getattr(user, "can_manage", False):
        return Q(pk__in=[])
    return municipality_q(user, path)


class GroupPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "working_group__municipality")).select_related(
            "working_group__municipality"
        )


class SituationEntry(models.Model):
    """One entry in a working group's situation picture (lägesbild): what is known, from where."""

    working_group = models.ForeignKey(
        WorkingGroup, models.CASCADE, related_name="situation_entries", verbose_name=_("arbetsgrupp")
    )
    date = models.DateField(_("datum"))
    source = models.CharField(_("källa"), max_length=200, help_text=_("T.ex. polisens lägesbild, ombudens erfarenheter."))
    text = models.TextField(_("beskrivning"), max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A retired entry no longer describes the situation; it stays for the record, out of the picture.
    retired_at = models.DateTimeField(_("inaktuell sedan"), null=True, blank=True)
    retired_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()
    objects = GroupPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("lägesbild")
        verbose_name_plural = _("lägesbild")

    def __str__(self):
        return f"{self.date}: {self.source}"


class ActionItem(models.Model):
    """A row in the working group's action plan (åtgärdsplan)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klar")

    working_group = models.ForeignKey(
        WorkingGroup, models.CASCADE, related_name="action_items", verbose_name=_("arbetsgrupp")
    )
    what = models.CharField(_("vad"), max_length=300)
    # Older rows name someone in free text; new ones have an owner who sits in the group.
    who = models.CharField(_("vem"), max_length=150, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="owned_actions",
        verbose_name=_("ansvarig"),
    )
    due_date = models.DateField(_("klart senast"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    follow_up_date = models.DateField(_("följs upp"), null=True, blank=True)
    # The due date the owner was last reminded of: a moved date gets a reminder of its own.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = GroupPlanQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärdsplan")
        indexes = [
            # Due and overdue actions on start pages and in the weekly digest.
            models.Index(fields=["status", "due_date"], name="action_item_due_idx"),
        ]

    def __str__(self):
        return self.what

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status != self.Status.DONE and self.due_date < timezone.localdate()

    @property
    def responsible(self) -> str:
        return self.owner.name if self.owner_id else self.who


class Goal(models.Model):
    """One of the working group's goals: specific, measurable, with a date it is to be met by."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        MET = "met", _("Uppnått")
        NOT_MET = "not_met", _("Inte uppnått")

    working_group = models.ForeignKey(WorkingGroup, models.CASCADE, related_name="goals", verbose_name=_("arbetsgrupp"))
    what = models.CharField(_("mål"), max_length=300, help_text=_("Vad ska vara uppnått? Var konkret."))
    measure = models.CharField(
        _("mäts så"), max_length=300, help_text=_("Hur ni vet att målet är nått, till exempel ett antal eller en andel.")
    )
    target_value = models.PositiveIntegerField(_("målvärde"), null=True, blank=True)
    target_date = models.DateField(_("klart senast"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = GroupPlanQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self):
        return self.what


class CommunicationItem(models.Model):
    """A row in the working group's communication plan (kommunikationsplan)."""

    class Channel(models.TextChoices):
        MEDIA = "media", _("Press och media")
        SOCIAL = "social", _("Sociala medier")
        WEB = "web", _("Webbplats")
        EMAIL = "email", _("E-post till nätverket")
        MEETING = "meeting", _("Möte")
        PRINT = "print", _("Trycksak")
        OTHER = "other", _("Annat")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        DONE = "done", _("Genomförd")

    # Channels that count towards the handbook's visibility criterion.
    PUBLIC_CHANNELS = (Channel.MEDIA, Channel.SOCIAL)

    working_group = models.ForeignKey(
        WorkingGroup, models.CASCADE, related_name="communication_items", verbose_name=_("arbetsgrupp")
    )
    audience = models.CharField(_("målgrupp"), max_length=200)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel, default=Channel.MEDIA)
    message = models.TextField(_("budskap"), max_length=2000)
    date = models.DateField(_("datum"))
    who = models.CharField(_("vem"), max_length=150)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = GroupPlanQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("kommunikationsinsats")
        verbose_name_plural = _("kommunikationsplan")

    def __str__(self):
        return f"{self.get_channel_display()}: {self.audience}"
