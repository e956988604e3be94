import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", User.Role.ADMIN)
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with e-mail and password; the role decides what they see."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administratör")
        COUNTY_OFFICER = "county_officer", _("Länsstyrelsehandläggare")
        COORDINATOR = "coordinator", _("Kommunal samordnare")
        INSTRUCTOR = "instructor", _("Instruktör")
        # Seated in a working group (a company's regional manager, a county board member):
        # reads the group's meetings and plans, manages nothing and sees no contacts.
        MEMBER = "member", _("Gruppmedlem")
        # Staff at a parcel agent: no password, signs in with a one-time link by e-mail.
        CONTACT = "contact", _("Kontaktperson hos ombud")

    class Agency(models.TextChoices):
        NONE = "", _("Ingen")
        POLICE = "police", _("Polisen")
        CUSTOMS = "customs", _("Tullverket")

    email = models.EmailField(_("e-post"), unique=True)
    name = models.CharField(_("namn"), max_length=150)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    role = models.CharField(_("roll"), max_length=20, choices=Role, default=Role.COORDINATOR)
    agency = models.CharField(_("myndighet"), max_length=10, choices=Agency, blank=True, default="")
    county = models.ForeignKey(
        "municipalities.County",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("län"),
        help_text=_("Länet som en länsstyrelsehandläggare arbetar i."),
    )
    language = models.CharField(_("språk"), max_length=5, default="sv", choices=[("sv", "Svenska"), ("en", "English")])
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(_("personal"), default=False)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "feed_token"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="county_officer") | models.Q(county__isnull=False),
                name="county_officer_has_county",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_county_officer(self) -> bool:
        return self.role == self.Role.COUNTY_OFFICER

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR

    @property
    def is_member(self) -> bool:
        return self.role == self.Role.MEMBER

    @property
    def is_contact(self) -> bool:
        return self.role == self.Role.CONTACT

    def scope_q(self, path: str, *, personal_data: bool = False):
        """What this user may see, as a filter on ``path`` (see ``municipalities.models.municipality_q``)."""
        from municipalities.models import municipality_q, personal_data_q

        return (personal_data_q if personal_data else municipality_q)(self, path)

    @property
    def can_manage(self) -> bool:
        """Whether the role may change a working group's data (not only read it)."""
        return self.is_admin or self.is_county_officer or self.is_coordinator

    def renew_feed_token(self) -> None:
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])
