from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from followup.models import FollowUp, SeizureFeedback, SurveyInvitation
from followup.services import actions_due
from municipalities.models import WorkingGroup
from tif_portal import outbox
from tif_portal.links import absolute_reverse, absolute_url


@outbox.renderer("followup.reminder")
def reminder(email):
    follow_up = FollowUp.objects.select_related("meeting__working_group__municipality").get(
        pk=email.params["follow_up"]
    )
    group = follow_up.meeting.working_group
    context = {
        "follow_up": follow_up,
        "group": group,
        "days": email.params["days"],
        "feedback": SeizureFeedback.objects.filter(working_group=group)[:3],
        "link": absolute_url(follow_up.get_absolute_url()),
    }
    subject = _("Uppföljning om %(days)s dagar: %(meeting)s") % {
        "days": email.params["days"],
        "meeting": follow_up.meeting,
    }
    return outbox.Rendered(subject=subject, body_text=render_to_string("emails/followup_reminder.txt", context))


@outbox.renderer("followup.survey")
def survey(email):
    invitation = SurveyInvitation.objects.select_related("registration__meeting").get(pk=email.params["invitation"])
    context = {
        "meeting": invitation.registration.meeting,
        "phase": invitation.phase,
        "link": absolute_reverse("followup:survey_answer", invitation.token),
    }
    subject = _("Tre korta frågor om %(meeting)s") % {"meeting": invitation.registration.meeting.title}
    return outbox.Rendered(subject=subject, body_text=render_to_string("emails/followup_survey.txt", context))


@outbox.renderer("followup.actions_digest")
def actions_digest(email):
    group = WorkingGroup.objects.get(pk=email.params["group"])
    today = date.fromisoformat(email.params["today"])
    context = {
        "group": group,
        "today": today,
        "actions": list(actions_due(groups=[group], today=today)),
        "link": absolute_reverse("followup:plans", group.pk),
    }
    subject = _("Veckans åtgärder: %(group)s") % {"group": group}
    return outbox.Rendered(subject=subject, body_text=render_to_string("emails/followup_actions_digest.txt", context))


@outbox.renderer("followup.escalation")
def escalation(email):
    follow_up = FollowUp.objects.select_related("meeting__working_group__municipality").get(
        pk=email.params["follow_up"]
    )
    today = date.fromisoformat(email.params["today"])
    group = follow_up.meeting.working_group
    context = {
        "follow_up": follow_up,
        "group": group,
        "municipality": group.municipality,
        "days_late": (today - follow_up.due_date).days,
        "link": absolute_url(follow_up.get_absolute_url()),
    }
    subject = _("Försenad uppföljning i %(municipality)s: %(meeting)s") % {
        "municipality": group.municipality.name,
        "meeting": follow_up.meeting.title,
    }
    return outbox.Rendered(subject=subject, body_text=render_to_string("emails/followup_escalation.txt", context))
