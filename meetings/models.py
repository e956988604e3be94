import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import municipality_q, personal_data_q

# The furthest ahead a meeting reminder may go; the hourly task looks this far.
MAX_REMINDER_DAYS = 14


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "municipality")).select_related("municipality")


class Site(models.Model):
    """A workplace that handles parcels: a parcel agent, a terminal or a letter-carrier office."""

    class Kind(models.TextChoices):
        AGENT = "agent", _("Paketombud")
        TERMINAL = "terminal", _("Terminal")
        LETTER_CARRIER = "letter_carrier", _("Brevbärarkontor")
        PARCEL_LOCKER = "parcel_locker", _("Paketbox")

    municipality = models.ForeignKey(
        "municipalities.Municipality", models.PROTECT, related_name="sites", verbose_name=_("kommun")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, default=Kind.AGENT)
    company = models.CharField(_("företag"), max_length=100, help_text=_("T.ex. PostNord, DHL, Schenker, Bring."))
    name = models.CharField(_("namn"), max_length=200)
    external_id = models.CharField(_("företagets id"), max_length=60, blank=True)
    street = models.CharField(_("gatuadress"), max_length=200)
    postal_code = models.CharField(_("postnummer"), max_length=10)
    city = models.CharField(_("ort"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("arbetsplats")
        verbose_name_plural = _("arbetsplatser")
        constraints = [
            # The company's own id identifies a site on re-import.
            models.UniqueConstraint(
                fields=["company", "external_id"],
                condition=~Q(external_id=""),
                name="site_external_id_unique_per_company",
            ),
        ]
        indexes = [
            # Duplicate search by address during import.
            models.Index(fields=["municipality", "postal_code", "street"], name="site_address_idx"),
            models.Index(fields=["municipality", "company", "kind"], name="site_chooser_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})"

    def get_absolute_url(self):
        return reverse("meetings:site_detail", args=[self.pk])

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_data_q(user, "site__municipality")).select_related("site__municipality")

    def own(self, user):
        """The Contact rows an agent contact signed in by magic link may see: their own."""
        if not getattr(user, "is_authenticated", False) or not user.is_contact:
            return self.none()
        return self.filter(user=user, erased_at__isnull=True).select_related("site__municipality")

    def in_network(self):
        return self.filter(in_network=True, left_network_at__isnull=True, erased_at__isnull=True)


class Contact(models.Model):
    """A person at a site: invited by e-mail, no account, reached through personal links."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="contacts", verbose_name=_("arbetsplats"))
    # The account a magic link signs in to; one per e-mail address, shared by that person's contacts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    language = models.CharField(
        _("språk"), max_length=5, default="sv", choices=[("sv", "Svenska"), ("en", "English")]
    )
    # A company's regional manager has one contact row per site they answer for.
    regional_manager = models.ForeignKey(
        "meetings.RegionalManager",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("regional ombudschef"),
    )
    in_network = models.BooleanField(_("med i lokala nätverket"), default=False)
    joined_network_at = models.DateTimeField(null=True, blank=True)
    left_network_at = models.DateTimeField(_("lämnade nätverket"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    last_activity_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["token"])
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        constraints = [
            models.UniqueConstraint(fields=["site", "email"], name="contact_email_unique_per_site"),
        ]
        indexes = [
            # One invitation per address: the chooser finds a person's other workplaces by address.
            models.Index(fields=["email"], name="contact_email_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:contact_detail", args=[self.pk])


class NetworkConsent(models.Model):
    """Someone agreed to be in the local network: who gave or recorded it, when and how.

    Kept as a log, one row per consent, so joining again after leaving adds a row and the
    earlier ones stay as they were.
    """

    class Method(models.TextChoices):
        REGISTRATION = "registration", _("Kryssade i vid anmälan via inbjudan")
        WALK_IN = "walk_in", _("Sade ja på mötet, registrerat av samordnaren")
        COORDINATOR = "coordinator", _("Lämnat till samordnaren")
        MY_PAGE = "my_page", _("Gick med via Mina sidor")

    contact = models.ForeignKey(Contact, models.CASCADE, related_name="network_consents", verbose_name=_("kontaktperson"))
    method = models.CharField(_("hur"), max_length=20, choices=Method)
    given_at = models.DateTimeField(_("när"), default=timezone.now)
    # The person who ticked the box (themselves or a colleague registering them) ...
    given_by = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lämnat av")
    )
    # ... or the coordinator who wrote it down.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("registrerat av")
    )
    note = models.CharField(
        _("kommentar"), max_length=200, blank=True, help_text=_("T.ex. muntligt i telefon eller ett undertecknat papper.")
    )

    class Meta:
        ordering = ["contact", "-given_at", "-pk"]
        verbose_name = _("samtycke till nätverket")
        verbose_name_plural = _("samtycken till nätverket")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["registration", "walk_in", "coordinator", "my_page"]),
                name="network_consent_method_known",
            ),
        ]

    def __str__(self):
        return f"{self.contact}: {self.get_method_display()} {timezone.localtime(self.given_at):%Y-%m-%d}"

    @property
    def by_name(self) -> str:
        person = self.recorded_by or self.given_by
        return str(person) if person else ""


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = municipality_q(user, "working_group__municipality")
        if getattr(user, "is_authenticated", False) and not user.is_admin:
            # Instructors see every meeting they teach at, across working groups. A subquery,
            # not a join: a join would multiply rows and make every count need DISTINCT.
            q |= Q(pk__in=MeetingInstructor.objects.filter(user=user).values("meeting_id"))
        return self.filter(q).select_related("working_group__municipality")

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).exclude(status=Meeting.Status.CANCELLED).order_by(
            "starts_at"
        )


class Meeting(models.Model):
    """A collaboration meeting, follow-up meeting, instructor training, working-group meeting
    or workplace meeting (a visit to one site's staff meeting)."""

    class Kind(models.TextChoices):
        COLLABORATION = "collaboration", _("Samverkansmöte")
        FOLLOW_UP = "follow_up", _("Uppföljningsmöte")
        TRAINING = "training", _("Instruktörsutbildning")
        WORKING_GROUP = "working_group", _("Arbetsgruppsmöte")
        # In sparse areas the instructors visit one workplace's own staff meeting instead.
        WORKPLACE = "workplace", _("Arbetsplatsträff")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        HELD = "held", _("Genomfört")
        CANCELLED = "cancelled", _("Inställt")

    working_group = models.ForeignKey(
        "municipalities.WorkingGroup", models.PROTECT, related_name="meetings", verbose_name=_("arbetsgrupp")
    )
    kind = models.CharField(_("typ av möte"), max_length=20, choices=Kind, default=Kind.COLLABORATION)
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("antal platser"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("sista anmälningsdag"), null=True, blank=True)
    reminder_days_before = models.PositiveSmallIntegerField(
        _("påminnelse (dagar före)"), default=2,
        validators=[MaxValueValidator(MAX_REMINDER_DAYS)],
        help_text=_("De anmälda får en påminnelse så många dagar före mötet. 0 betyder ingen påminnelse."),
    )
    agenda = models.TextField(_("dagordning"), blank=True)
    invitation_text = models.TextField(
        _("inbjudningsbrevets text"),
        blank=True,
        help_text=_("Lämna tomt för standardtexten."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    site = models.ForeignKey(
        Site,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="workplace_meetings",
        verbose_name=_("arbetsplats"),
        help_text=_("Bara för arbetsplatsträffar: arbetsplatsen vars personalmöte ni besöker."),
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="MeetingInstructor",
        related_name="instructed_meetings",
        blank=True,
        verbose_name=_("instruktörer"),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    moved_at = models.DateTimeField(_("flyttat"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE, raised on every change.")
    uid = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="meeting_capacity_positive"),
            # A workplace meeting is held at one site; no other kind belongs to a site.
            models.CheckConstraint(
                condition=Q(kind="workplace", site__isnull=False) | (~Q(kind="workplace") & Q(site__isnull=True)),
                name="meeting_site_only_for_workplace",
            ),
        ]
        indexes = [models.Index(fields=["working_group", "starts_at"], name="meeting_group_start_idx")]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_workplace_meeting(self) -> bool:
        return self.kind == self.Kind.WORKPLACE

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def responsible_person(self):
        """Who answers for the meeting (replies, the letter's signature, the calendar's organiser):
        its contact person, else the coordinator who made it."""
        return self.contact_person or self.created_by


# Kinds that count as a collaboration meeting for decals, criteria and follow-up: a workplace
# meeting stands in for one where a collaboration meeting would gather too few.
COLLABORATION_KINDS = (Meeting.Kind.COLLABORATION, Meeting.Kind.WORKPLACE)


class MeetingInstructor(models.Model):
    """An instructor from police or customs at a meeting, and whether they confirmed."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="instructor_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="instructor_links")
    confirmed_at = models.DateTimeField(_("bekräftat"), null=True, blank=True)
    declined_at = models.DateTimeField(_("tackat nej"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="instructor_once_per_meeting")]

    def __str__(self):
        return f"{self.user} – {self.meeting}"


class ChecklistItem(models.Model):
    """One step of the handbook's annex-2 checklist for a meeting."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="checklist_key_once_per_meeting")]

    def __str__(self):
        return f"{self.meeting}: {self.key}"

    @property
    def label(self):
        from meetings.checklist import LABELS

        return LABELS.get(self.key, self.key)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_data_q(user, "meeting__working_group__municipality"))


class Invitation(models.Model):
    """A contact's personal invitation to a meeting; its token opens only that invitation."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "contact"], name="invitation_once_per_contact")]

    def __str__(self):
        return f"{self.contact} → {self.meeting}"


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_data_q(user, "meeting__working_group__municipality")).select_related(
            "contact__site", "meeting"
        )

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    """A contact's place at a meeting, from the invitation link or added on the day."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Anmäld")
        CANCELLED = "cancelled", _("Avanmäld")
        WALK_IN = "walk_in", _("Kom utan anmälan")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="registrations")
    contact = models.ForeignKey(Contact, models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.REGISTERED)
    dietary_needs = models.CharField(_("kostönskemål"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="registrations_made"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("närvarande"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "contact"], name="registration_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.contact} – {self.meeting}"


class WaitingListEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "meeting__working_group__municipality")).select_related(
            "contact__site", "meeting"
        )

    def waiting(self):
        """Still in the queue: neither given a seat nor withdrawn; the first in line first."""
        return self.filter(promoted_at__isnull=True, withdrawn_at__isnull=True).order_by("created_at", "pk")


class WaitingListEntry(models.Model):
    """A person's place in the queue for a full meeting: the first in line gets the next seat that frees."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="waiting_list", verbose_name=_("möte"))
    contact = models.ForeignKey(
        Contact, models.PROTECT, related_name="waiting_list_entries", verbose_name=_("kontaktperson")
    )
    dietary_needs = models.CharField(_("kostönskemål"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="waiting_list_entries_made"
    )
    created_at = models.DateTimeField(_("ställd i kö"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("fick plats"), null=True, blank=True)
    registration = models.ForeignKey(
        Registration, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("anmälan")
    )
    withdrawn_at = models.DateTimeField(_("lämnade kön"), null=True, blank=True)

    history = HistoricalRecords()
    objects = WaitingListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("plats på väntelistan")
        verbose_name_plural = _("väntelista")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(promoted_at__isnull=True, withdrawn_at__isnull=True),
                name="waiting_list_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(promoted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="waiting_list_promoted_or_withdrawn",
            ),
        ]
        indexes = [
            # The queue of a meeting, first in line first.
            models.Index(fields=["meeting", "created_at"], name="waiting_list_queue_idx"),
        ]

    def __str__(self):
        return f"{self.contact} – {self.meeting} ({_('väntelista')})"


class Minutes(models.Model):
    """The notes from a meeting, sent to participants and the working group."""

    meeting = models.OneToOneField(Meeting, models.CASCADE, related_name="minutes")
    text = models.TextField(_("anteckningar"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    # How many versions have been sent: a corrected text goes out again as the next one.
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("minnesanteckningar")
        verbose_name_plural = _("minnesanteckningar")

    def __str__(self):
        return f"{self.meeting}"


class RegionalManagerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers with a site the user may see the contacts of (they name a person)."""
        contacts = Contact.objects.filter(personal_data_q(user, "site__municipality"), regional_manager__isnull=False)
        return self.filter(pk__in=contacts.values("regional_manager_id"))


class RegionalManager(models.Model):
    """A logistics company's regional agent manager: one person who answers for several sites,
    often in several municipalities. Handbook annex 2 asks that they are invited too.

    Each site they answer for has a Contact row of theirs (same address, same sign-in), so a
    municipality sees them at its own sites only, and they order decals for each site.
    """

    company = models.CharField(_("företag"), max_length=100)
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    language = models.CharField(
        _("språk"), max_length=5, default="sv", choices=[("sv", "Svenska"), ("en", "English")]
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(_("inbjuden"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RegionalManagerQuerySet.as_manager()

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("regional ombudschef")
        verbose_name_plural = _("regionala ombudschefer")
        constraints = [
            models.UniqueConstraint(fields=["company", "email"], name="regional_manager_once_per_company"),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})"

    def get_absolute_url(self):
        return reverse("meetings:regional_manager_detail", args=[self.pk])


class CountyMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """County officers see their county's meetings, administrators all; instructors and
        coordinators see those they are invited to or registered for, and the trainings of
        the counties they work in (so that they can register)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_contact:
            return self.none()
        if user.is_admin:
            return self.select_related("county")
        if user.is_county_officer:
            return self.filter(county_id=user.county_id).select_related("county")
        q = Q(participants__user=user)
        if user.is_instructor or user.is_coordinator:
            from municipalities.models import Membership

            counties = Membership.objects.filter(user=user).values("working_group__municipality__county_id")
            q |= Q(kind=CountyMeeting.Kind.TRAINING, county_id__in=counties)
        return self.filter(pk__in=CountyMeeting.objects.filter(q).values("pk")).select_related("county")

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).exclude(status=CountyMeeting.Status.CANCELLED)


class CountyMeeting(models.Model):
    """A meeting the county administrative board holds for the whole county rather than a
    municipal working group: an instructor training, or the yearly county group (länsvis
    grupp) for the instructors and coordinators of the county's municipalities."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Instruktörsutbildning")
        COUNTY_GROUP = "county_group", _("Länsvis grupp")

    Status = Meeting.Status

    county = models.ForeignKey(
        "municipalities.County", models.PROTECT, related_name="county_meetings", verbose_name=_("län")
    )
    kind = models.CharField(_("typ av möte"), max_length=20, choices=Kind, default=Kind.COUNTY_GROUP)
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Meeting.Status, default=Meeting.Status.PLANNED)
    minutes = models.TextField(_("minnesanteckningar"), blank=True)
    minutes_sent_at = models.DateTimeField(_("anteckningarna skickade"), null=True, blank=True)
    follow_up_due = models.DateField(_("uppföljning senast"), null=True, blank=True)
    # The meeting this one follows up (next year's county group, a second training).
    follow_up_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="follow_ups", verbose_name=_("följer upp")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CountyMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("länsmöte")
        verbose_name_plural = _("länsmöten")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="county_meeting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["county", "starts_at"], name="county_meeting_start_idx")]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("meetings:county_meeting_detail", args=[self.pk])

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_training(self) -> bool:
        return self.kind == self.Kind.TRAINING


class CountyMeetingParticipant(models.Model):
    """A person (an account: police, customs, a coordinator) invited to or registered for a
    county meeting, and whether they came. Attending a held training makes an instructor
    trained from that day."""

    meeting = models.ForeignKey(CountyMeeting, models.CASCADE, related_name="participants", verbose_name=_("möte"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="county_meeting_places", verbose_name=_("person")
    )
    invited_at = models.DateTimeField(_("inbjuden"), null=True, blank=True)
    registered_at = models.DateTimeField(_("anmäld"), null=True, blank=True)
    attended_at = models.DateTimeField(_("närvarande"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__name"]
        verbose_name = _("deltagare i länsmöte")
        verbose_name_plural = _("deltagare i länsmöten")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="county_meeting_participant_once"),
        ]
        indexes = [
            # Who is trained: attended trainings per person.
            models.Index(fields=["user", "attended_at"], name="county_trained_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"
