from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tif_portal.scoping import municipality_q


class DecalIssueQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_q(user, "site__municipality")).select_related("site", "meeting")


class DecalIssue(models.Model):
    """Decals handed out to a workplace at a meeting."""

    meeting = models.ForeignKey("meetings.Meeting", models.CASCADE, related_name="decal_issues", verbose_name=_("möte"))
    site = models.ForeignKey("meetings.Site", models.PROTECT, related_name="decal_issues", verbose_name=_("arbetsplats"))
    quantity = models.PositiveSmallIntegerField(_("antal"), default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = DecalIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("utdelad dekal")
        verbose_name_plural = _("utdelade dekaler")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "site"], name="decal_issue_once_per_site_and_meeting"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="decal_issue_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.site} ({self.meeting})"
