from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from knowledge.models import AccessibilityReport
from knowledge.services import accessibility_report_submit
from knowledge.tasks import privacy_retention
from meetings.models import Contact, Registration
from tif_portal import outbox
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _mail(to, key):
    outbox.enqueue([outbox.Mail(key=key, to=to, purpose="test", subject="Hej", body_text="Brödtext till Sara")])


def test_inactive_contacts_are_anonymised_after_the_retention_period(
    settings, contact_sundsvall, contact_harnosand, meeting_sundsvall
):
    settings.CONTACT_RETENTION_DAYS = 3 * 365
    Registration.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall, dietary_needs="Vegan")
    Contact.objects.filter(pk=contact_harnosand.pk).update(last_activity_at=timezone.now() + timedelta(days=400))
    # Past three years after the last sign of life (the meeting two weeks from now).
    with freeze_time(timezone.now() + timedelta(days=3 * 365 + 30)):
        first = privacy_retention.delay().get()
        assert first["contacts"] == 1
        second = privacy_retention.delay().get()
    assert second == {"contacts": 0, "users": 0, "mails": 0, "registrations": 0, "reports": 0}
    sara = Contact.objects.get(pk=contact_sundsvall.pk)
    assert sara.erased_at and sara.name == "Raderad" and "sara" not in sara.email
    assert not sara.history.filter(name="Sara Östlund").exists()
    assert Contact.objects.get(pk=contact_harnosand.pk).erased_at is None
    assert meeting_sundsvall.registrations.count() == 1


def test_a_contact_seen_recently_is_kept(settings, contact_sundsvall):
    with freeze_time(timezone.now() + timedelta(days=3 * 365 - 1)):
        assert privacy_retention()["contacts"] == 0
    assert Contact.objects.get(pk=contact_sundsvall.pk).erased_at is None


def test_sent_mail_bodies_are_purged_after_ninety_days_and_queued_ones_kept(settings, db):
    settings.OUTBOX_BODY_RETENTION_DAYS = 90
    _mail("a@example.se", "t:1")
    _mail("b@example.se", "t:2")
    OutboundEmail.objects.filter(key="t:1").update(state=OutboundEmail.State.SENT, sent_at=timezone.now())
    OutboundEmail.objects.filter(key="t:2").update(
        state=OutboundEmail.State.QUEUED, next_attempt_at=timezone.now() + timedelta(days=999)
    )
    with freeze_time(timezone.now() + timedelta(days=89)):
        assert privacy_retention()["mails"] == 0
    with freeze_time(timezone.now() + timedelta(days=91)):
        assert privacy_retention()["mails"] == 1
        assert privacy_retention()["mails"] == 0
    sent = OutboundEmail.objects.get(key="t:1")
    assert sent.body_text == "" and sent.body_html == "" and sent.attachments == [] and sent.body_purged_at
    assert sent.to == "a@example.se" and sent.subject == "Hej"  # delivery records stay
    assert OutboundEmail.objects.get(key="t:2").body_text


def test_dietary_needs_go_a_month_after_the_meeting(contact_sundsvall, meeting_sundsvall):
    registration = Registration.objects.create(
        meeting=meeting_sundsvall, contact=contact_sundsvall, dietary_needs="Laktosfri"
    )
    with freeze_time(meeting_sundsvall.ends_at + timedelta(days=10)):
        privacy_retention()
    assert Registration.objects.get(pk=registration.pk).dietary_needs == "Laktosfri"
    with freeze_time(meeting_sundsvall.ends_at + timedelta(days=31)):
        assert privacy_retention()["registrations"] >= 1
        assert privacy_retention()["registrations"] == 0
    assert Registration.objects.get(pk=registration.pk).dietary_needs == ""
    assert not registration.history.exclude(dietary_needs="").exists()


def test_accessibility_reporters_are_forgotten_after_a_year(admin_user):
    accessibility_report_submit(page_url="/", message="Kontrasten är för låg", name="Eva", email="eva@example.se")
    with freeze_time(timezone.now() + timedelta(days=366)):
        assert privacy_retention()["reports"] == 1
    report = AccessibilityReport.objects.get()
    assert report.email == "" and report.name == "" and report.message


def test_the_retention_task_runs_daily_from_beat():
    from tif_portal.celery import app

    assert any(e["task"] == "knowledge.tasks.privacy_retention" for e in app.conf.beat_schedule.values())


def test_a_contact_who_keeps_coming_to_meetings_is_kept(contact_sundsvall, make_meeting, group_sundsvall):
    with freeze_time(timezone.now() + timedelta(days=3 * 365 - 10)):
        meeting = make_meeting(group_sundsvall, days=5)
        Registration.objects.create(meeting=meeting, contact=contact_sundsvall)
    with freeze_time(timezone.now() + timedelta(days=3 * 365 + 30)):
        assert privacy_retention()["contacts"] == 0
    assert Contact.objects.get(pk=contact_sundsvall.pk).erased_at is None


def test_using_the_own_pages_restarts_the_retention_period(client, contact_sundsvall):
    from django.urls import reverse

    from accounts.models import User

    user = User.objects.create_user(contact_sundsvall.email, None, name="Sara", role=User.Role.CONTACT)
    Contact.objects.filter(pk=contact_sundsvall.pk).update(user=user)
    with freeze_time(timezone.now() + timedelta(days=3 * 365 - 1)):
        client.force_login(user)
        client.get(reverse("contact:my_data"))
    with freeze_time(timezone.now() + timedelta(days=3 * 365 + 1)):
        assert privacy_retention()["contacts"] == 0
