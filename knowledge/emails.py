from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from knowledge.models import AccessibilityReport
from tif_portal import outbox


@outbox.renderer("knowledge.accessibility_report")
def accessibility_report(email):
    report = AccessibilityReport.objects.get(pk=email.params["report"])
    context = {
        "report": report,
        "admin_url": settings.SITE_URL + reverse("admin:knowledge_accessibilityreport_change", args=[report.pk]),
    }
    return outbox.Rendered(
        subject=_("Synpunkt på tillgängligheten i TIF-portalen"),
        body_text=render_to_string("emails/accessibility_report.txt", context),
    )
