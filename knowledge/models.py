from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tif_portal.storage import get_private_storage


def can_edit_knowledge(user) -> bool:
    """County officers and administrators keep the knowledge pages up to date."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and (user.is_admin or user.is_county_officer)
    )


class PageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published pages are public; editors also see drafts."""
        if can_edit_knowledge(user):
            return self
        return self.filter(published=True)


class Page(models.Model):
    """A public knowledge page for parcel staff, in Swedish and English.

    The bodies are HTML that ``knowledge.services.html_clean`` has sanitised; every
    save keeps a version in the history with who made it and when.
    """

    slug = models.SlugField(_("adress"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=100)
    title_sv = models.CharField(_("rubrik (svenska)"), max_length=200)
    title_en = models.CharField(_("rubrik (engelska)"), max_length=200, blank=True)
    summary_sv = models.CharField(_("ingress (svenska)"), max_length=300, blank=True)
    summary_en = models.CharField(_("ingress (engelska)"), max_length=300, blank=True)
    body_sv = models.TextField(_("text (svenska)"))
    body_en = models.TextField(_("text (engelska)"), blank=True)
    published = models.BooleanField(_("publicerad"), default=True)
    updated_at = models.DateTimeField(_("senast ändrad"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ändrad av")
    )

    history = HistoricalRecords()
    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title_sv"]
        verbose_name = _("kunskapssida")
        verbose_name_plural = _("kunskapssidor")

    def __str__(self):
        return self.title_sv

    def get_absolute_url(self):
        return reverse("knowledge:page_detail", args=[self.slug])

    def _localised(self, field: str) -> str:
        if translation.get_language() == "en":
            return getattr(self, f"{field}_en") or getattr(self, f"{field}_sv")
        return getattr(self, f"{field}_sv")

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def summary(self) -> str:
        return self._localised("summary")

    @property
    def body(self) -> str:
        return self._localised("body")

    @property
    def shows_swedish_fallback(self) -> bool:
        return translation.get_language() == "en" and not self.body_en


class PageImage(models.Model):
    """An image for the knowledge pages; the alternative text is required."""

    image = models.ImageField(_("bild"), upload_to="knowledge/")
    alt_sv = models.CharField(_("alternativtext (svenska)"), max_length=250)
    alt_en = models.CharField(_("alternativtext (engelska)"), max_length=250, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("bild")
        verbose_name_plural = _("bilder")
        constraints = [models.CheckConstraint(condition=~Q(alt_sv=""), name="page_image_has_alt_text")]

    def __str__(self):
        return self.alt_sv

    @property
    def snippet(self) -> str:
        from django.utils.html import format_html

        return format_html('<img src="{}" alt="{}">', self.image.url, self.alt_sv)


class AccessibilityReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if getattr(user, "is_authenticated", False) and user.is_active and user.is_admin:
            return self
        return self.none()


class AccessibilityReport(models.Model):
    """Someone's report of an accessibility problem, sent from the accessibility statement."""

    page_url = models.CharField(_("sida"), max_length=500, blank=True)
    message = models.TextField(_("beskrivning av problemet"))
    name = models.CharField(_("namn"), max_length=150, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    created_at = models.DateTimeField(_("inkommen"), default=timezone.now)
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = AccessibilityReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("synpunkt på tillgänglighet")
        verbose_name_plural = _("synpunkter på tillgänglighet")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.page_url}"


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Material on a meeting follows the meeting's municipality; on a knowledge page, the page."""
        from meetings.models import Meeting

        on_pages = Q(page__isnull=False) & (Q() if can_edit_knowledge(user) else Q(page__published=True))
        on_meetings = Q(meeting__in=Meeting.objects.visible_to(user).values("pk"))
        return self.filter(on_pages | on_meetings).select_related("meeting__working_group", "page")

    def for_registrations(self, registrations):
        """What the participants of these registrations may take home: their meetings' material."""
        return self.filter(meeting__registrations__in=registrations).distinct()


class Material(models.Model):
    """A file or a link to pass on (a presentation, the film) for those who could not attend.

    It belongs to a meeting (the group's participants reach it from the minutes mail and their
    own page) or to a knowledge page (anyone reading it). Files stay in the private storage and
    are served by a view that checks who asks.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("Fil")
        LINK = "link", _("Länk")

    title = models.CharField(_("rubrik"), max_length=200)
    description = models.CharField(_("beskrivning"), max_length=500, blank=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind, default=Kind.FILE)
    file = models.FileField(_("fil"), storage=get_private_storage, upload_to="material/", blank=True)
    url = models.URLField(_("länk"), max_length=500, blank=True, help_text=_("Till exempel en film. Börjar med https://."))
    content_type = models.CharField(max_length=120, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    meeting = models.ForeignKey(
        "meetings.Meeting", models.CASCADE, null=True, blank=True, related_name="materials", verbose_name=_("möte")
    )
    page = models.ForeignKey(
        Page, models.CASCADE, null=True, blank=True, related_name="materials", verbose_name=_("kunskapssida")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("material")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, page__isnull=True) | Q(meeting__isnull=True, page__isnull=False),
                name="material_belongs_to_meeting_or_page",
            ),
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & Q(file="") & Q(url__startswith="https://")),
                name="material_file_or_https_link",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self) -> bool:
        return self.kind == self.Kind.LINK

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
