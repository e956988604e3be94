from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from knowledge.models import AccessibilityReport
from tif_portal import outbox
from tif_portal.links import absolute_reverse


def accessibility_report_mail(report, admin) -> outbox.Mail:
    """A visitor's accessibility report to one administrator."""
    return outbox.Mail(
        key=f"accessibility-report:{report.pk}:{admin.pk}",
        to=admin.email,
        purpose="accessibility_report",
        renderer="knowledge.accessibility_report",
        params={"report": report.pk},
        language=admin.language,
        about=report,
    )


@outbox.renderer("knowledge.accessibility_report")
def accessibility_report(email):
    report = AccessibilityReport.objects.get(pk=email.params["report"])
    context = {
        "report": report,
        "admin_url": absolute_reverse("admin:knowledge_accessibilityreport_change", report.pk),
    }
    return outbox.Rendered(
        subject=_("Synpunkt på tillgängligheten i TIF-portalen"),
        body_text=render_to_string("emails/accessibility_report.txt", context),
    )
