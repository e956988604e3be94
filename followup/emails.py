from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from followup.models import FollowUp, SeizureFeedback, SurveyInvitation
from tif_portal import outbox
from tif_portal.links import absolute_reverse, absolute_url


def reminder_mail(follow_up: FollowUp, user, *, which: str, days: int) -> outbox.Mail:
    """To a member of the group: the follow-up is due in ``days``; once per threshold ``which``."""
    return outbox.Mail(
        key=f"followup:{follow_up.pk}:{which}:{user.pk}",
        to=user.email,
        purpose="followup_reminder",
        renderer="followup.reminder",
        params={"follow_up": follow_up.pk, "days": days},
        language=user.language,
        municipality_id=follow_up.meeting.working_group.municipality_id,
        about=follow_up,
    )


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


def survey_mail(invitation: SurveyInvitation, registration, municipality_id: int) -> outbox.Mail:
    """The survey link to one participant, once per phase (it names no one in the answers)."""
    return outbox.Mail(
        key=f"survey:{invitation.registration_id}:{invitation.phase}",
        to=registration.contact.email,
        purpose="survey",
        renderer="followup.survey",
        params={"invitation": invitation.pk},
        language=registration.contact.language,
        municipality_id=municipality_id,
    )


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


def escalation_mail(follow_up: FollowUp, user, today: date) -> outbox.Mail:
    """To a county officer: the follow-up is overdue; once per officer."""
    return outbox.Mail(
        key=f"followup-escalation:{follow_up.pk}:{user.pk}",
        to=user.email,
        purpose="followup_escalation",
        renderer="followup.escalation",
        params={"follow_up": follow_up.pk, "today": today.isoformat()},
        language=user.language,
        municipality_id=follow_up.meeting.working_group.municipality_id,
        about=follow_up,
    )


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
