"""Mail about a working group's plans: reminders to an action's owner, the weekly digest of
actions, and the yearly report to the leadership."""

from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import User
from municipalities import report
from municipalities.models import ActionItem, WorkingGroup
from municipalities.selectors import actions_due
from tif_portal import outbox
from tif_portal.links import absolute_reverse
from tif_portal.pdf import render_pdf


def _plans_link(group_id: int, part: str = "") -> str:
    return absolute_reverse("municipalities:plans", group_id) + (f"#{part}" if part else "")


def action_reminder_mail(action: ActionItem, today: date) -> outbox.Mail:
    """To the action's owner before it is due; the key names the due date, so a moved date is reminded again."""
    return outbox.Mail(
        key=f"action-reminder:{action.pk}:{action.due_date.isoformat()}",
        to=action.owner.email,
        purpose="action_reminder",
        renderer="municipalities.action_reminder",
        params={"action": action.pk, "today": today.isoformat()},
        language=action.owner.language,
        municipality_id=action.working_group.municipality_id,
        about=action,
    )


@outbox.renderer("municipalities.action_reminder")
def action_reminder(email):
    action = ActionItem.objects.select_related("working_group", "owner").get(pk=email.params["action"])
    today = date.fromisoformat(email.params["today"])
    context = {
        "action": action,
        "group": action.working_group,
        "days": (action.due_date - today).days,
        "link": _plans_link(action.working_group_id, "action"),
    }
    subject = _("Påminnelse: %(what)s") % {"what": action.what}
    return outbox.Rendered(subject=subject, body_text=render_to_string("emails/action_reminder.txt", context))


def actions_digest_mail(group: WorkingGroup, user: User, today: date) -> outbox.Mail:
    """The week's open actions to one coordinator; once a week (the key names the ISO week)."""
    year, week, _weekday = today.isocalendar()
    return outbox.Mail(
        key=f"actions-digest:{group.pk}:{year}-W{week:02d}:{user.pk}",
        to=user.email,
        purpose="actions_digest",
        renderer="municipalities.actions_digest",
        params={"group": group.pk, "today": today.isoformat()},
        language=user.language,
        municipality_id=group.municipality_id,
        about=group,
    )


@outbox.renderer("municipalities.actions_digest")
def actions_digest(email):
    group = WorkingGroup.objects.get(pk=email.params["group"])
    today = date.fromisoformat(email.params["today"])
    context = {
        "group": group,
        "today": today,
        "actions": list(actions_due(groups=[group], today=today)),
        "link": _plans_link(group.pk),
    }
    subject = _("Veckans åtgärder: %(group)s") % {"group": group}
    return outbox.Rendered(subject=subject, body_text=render_to_string("emails/followup_actions_digest.txt", context))


def leadership_report_pdf(group: WorkingGroup, year: int, *, request=None) -> bytes:
    """The report as a tagged PDF (PDF/UA-1) in the current language."""
    title = _("Årsrapport %(year)s: %(group)s") % {"year": year, "group": group}
    return render_pdf(
        "municipalities/pdf/report.html",
        report.group_year_report(group, year),
        request=request,
        title=title,
        variant="pdf/ua-1",
    )


def leadership_report_mail(group: WorkingGroup, year: int, sent_by: User, today: date) -> outbox.Mail:
    """The yearly report to the leadership's address (the PDF is made when the mail goes);
    sent again the same day it is the same mail, a later day a fresh copy."""
    return outbox.Mail(
        key=f"leadership-report:{group.pk}:{year}:{group.leadership_email.lower()}:{today.isoformat()}",
        to=group.leadership_email,
        purpose="leadership_report",
        renderer="municipalities.leadership_report",
        params={"group": group.pk, "year": year, "sent_by": sent_by.pk},
        language="sv",
        municipality_id=group.municipality_id,
        about=group,
    )


@outbox.renderer("municipalities.leadership_report")
def leadership_report(email):
    group = WorkingGroup.objects.select_related("municipality").get(pk=email.params["group"])
    year = email.params["year"]
    sender = User.objects.filter(pk=email.params.get("sent_by")).first()
    context = {
        "group": group,
        "year": year,
        "sender": sender,
        "link": absolute_reverse("municipalities:report", group.pk) + f"?ar={year}",
    }
    subject = _("Årsrapport %(year)s från arbetsgruppen %(group)s") % {"year": year, "group": group}
    return outbox.Rendered(
        subject=subject,
        body_text=render_to_string("emails/leadership_report.txt", context),
        attachments=[(f"tif-arsrapport-{group.pk}-{year}.pdf", leadership_report_pdf(group, year), "application/pdf")],
    )
