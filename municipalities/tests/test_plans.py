"""The group's plans: decision, vision and goals, situation picture, action plan with owners
who are reminded, communication plan."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from municipalities import plans, tasks
from municipalities.models import ActionItem, CommunicationItem, Goal, SituationEntry
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _at(day: date, hour=6) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def test_the_coordinator_keeps_the_plans_in_the_browser(client, anna_sundsvall, group_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("municipalities:plans", args=[group_sundsvall.pk])
    today = timezone.localdate().isoformat()
    posts = [
        {"kind": "situation", "situation-date": today, "situation-source": "Polisen", "situation-text": "Fler paket med narkotika"},
        {"kind": "action", "action-what": "Besök ombuden", "action-owner": anna_sundsvall.pk, "action-due_date": today, "action-status": "planned"},
        {"kind": "communication", "communication-audience": "Allmänheten", "communication-channel": "social",
         "communication-message": "Vi samarbetar", "communication-date": today, "communication-who": "Anna", "communication-status": "done"},
        {"kind": "goal", "goal-what": "Alla ombud i kommunen nås", "goal-measure": "Andel ombud som varit på möte",
         "goal-target_value": "80", "goal-target_date": "2027-12-31", "goal-status": "open"},
    ]
    for data in posts:
        assert client.post(url, data).status_code == 302, data["kind"]
    assert SituationEntry.objects.count() == ActionItem.objects.count() == CommunicationItem.objects.count() == 1
    assert Goal.objects.get().target_date == date(2027, 12, 31)
    action = ActionItem.objects.get()
    assert action.owner == anna_sundsvall
    response = client.post(
        reverse("municipalities:action_update", args=[action.pk]),
        {"action-what": "Besök ombuden", "action-owner": anna_sundsvall.pk, "action-due_date": today, "action-status": "done"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    page = client.get(url).content.decode()
    assert "Fler paket med narkotika" in page and "Vi samarbetar" in page and "Alla ombud i kommunen nås" in page
    assert "Anna Åkesson" in page


def test_the_old_addresses_of_the_plans_lead_to_the_new_ones(client, anna_sundsvall, group_sundsvall, action_harnosand):
    client.force_login(anna_sundsvall)
    response = client.get(reverse("followup:plans", args=[group_sundsvall.pk]))
    assert response.status_code == 302 and response.url == reverse("municipalities:plans", args=[group_sundsvall.pk])
    # The redirect leads to a page that checks who asks.
    assert client.get(reverse("followup:action_update", args=[action_harnosand.pk]), follow=True).status_code == 404


def test_an_action_owner_must_sit_in_the_group(client, anna_sundsvall, bo_harnosand, group_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("municipalities:plans", args=[group_sundsvall.pk])
    data = {"kind": "action", "action-what": "Besök ombuden", "action-due_date": "2027-01-10", "action-status": "planned"}
    response = client.post(url, {**data, "action-owner": bo_harnosand.pk})
    assert response.status_code == 200 and ActionItem.objects.count() == 0
    assert "owner" in response.context["forms"]["action"].errors
    response = client.post(url, data)
    assert "Välj vem i gruppen som ansvarar" in response.content.decode()
    with pytest.raises(Exception, match="sitta i arbetsgruppen"):
        plans.plan_item_create(kind="action", group=group_sundsvall, created_by=anna_sundsvall, what="x",
                               owner=bo_harnosand, due_date=date(2027, 1, 1))


def test_an_instructor_adds_to_the_situation_picture_but_not_to_the_action_plan(client, per_police, group_sundsvall):
    client.force_login(per_police)
    url = reverse("municipalities:plans", args=[group_sundsvall.pk])
    today = timezone.localdate().isoformat()
    situation = {"kind": "situation", "situation-date": today, "situation-source": "Polisen", "situation-text": "Läget"}
    assert client.post(url, situation).status_code == 302
    action = {"kind": "action", "action-what": "x", "action-owner": per_police.pk, "action-due_date": today, "action-status": "planned"}
    assert client.post(url, action).status_code == 403


def test_a_situation_entry_is_edited_and_retired_and_stays_on_record(client, per_police, group_sundsvall):
    entry = plans.plan_item_create(kind="situation", group=group_sundsvall, created_by=per_police,
                                   date=timezone.localdate(), source="Polisen", text="Många paket från utlandet")
    client.force_login(per_police)
    response = client.post(
        reverse("municipalities:situation_update", args=[entry.pk]),
        {"situation-date": entry.date.isoformat(), "situation-source": "Polisen", "situation-text": "Färre paket nu"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Färre paket nu"
    client.post(reverse("municipalities:situation_retire", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.retired_at and entry.retired_by == per_police
    url = reverse("municipalities:plans", args=[group_sundsvall.pk])
    assert "Färre paket nu" not in client.get(url).content.decode()
    assert "Färre paket nu" in client.get(url + "?inaktuella=1").content.decode()
    assert entry.history.count() == 3
    client.post(reverse("municipalities:situation_retire", args=[entry.pk]), {"restore": "1"})
    assert "Färre paket nu" in client.get(url).content.decode()


def test_the_decision_is_recorded_with_its_document_reference_and_who_decided(client, anna_sundsvall, group_sundsvall, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}}}
    client.force_login(anna_sundsvall)
    url = reverse("municipalities:decision_update", args=[group_sundsvall.pk])
    data = {"decision_date": "2026-03-02", "decided_by": "Kommunstyrelsen", "decision_reference": "KS 2026/118",
            "leadership_email": "registrator@sundsvall.example", "vision": "Inga illegala försändelser når fram."}
    bad = client.post(url, {**data, "decision_document": SimpleUploadedFile("beslut.exe", b"MZ\x90\x00")})
    assert bad.status_code == 200 and "Filtypen tas inte emot" in bad.content.decode()
    fake = client.post(url, {**data, "decision_document": SimpleUploadedFile("beslut.pdf", b"<html>")})
    assert "inte en giltig PDF-fil" in fake.content.decode()
    group_sundsvall.refresh_from_db()
    assert group_sundsvall.decision_reference == "" and not group_sundsvall.decision_document
    good = client.post(url, {**data, "decision_document": SimpleUploadedFile("beslut.pdf", b"%PDF-1.7\n%%EOF")})
    assert good.status_code == 302
    group_sundsvall.refresh_from_db()
    assert (group_sundsvall.decision_date, group_sundsvall.decided_by, group_sundsvall.decision_reference) == (
        date(2026, 3, 2), "Kommunstyrelsen", "KS 2026/118")
    assert (tmp_path / group_sundsvall.decision_document.name).is_file()
    download = client.get(reverse("municipalities:decision_document", args=[group_sundsvall.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    page = client.get(reverse("municipalities:plans", args=[group_sundsvall.pk])).content.decode()
    assert "KS 2026/118" in page and "Inga illegala försändelser når fram." in page


def test_an_action_owner_is_reminded_once_a_week_ahead_and_again_when_the_date_moves(group_sundsvall, anna_sundsvall):
    today = date(2026, 5, 4)
    action = plans.plan_item_create(kind="action", group=group_sundsvall, created_by=anna_sundsvall,
                                    what="Ring PostNord", owner=anna_sundsvall, due_date=today + timedelta(days=10))
    assert plans.action_reminders_send(now=_at(today)) == 0
    assert plans.action_reminders_send(now=_at(today + timedelta(days=3))) == 1
    assert plans.action_reminders_send(now=_at(today + timedelta(days=3), 18)) == 0
    plans.plan_item_update(item=action, due_date=today + timedelta(days=12))
    assert plans.action_reminders_send(now=_at(today + timedelta(days=5))) == 1
    mails = OutboundEmail.objects.filter(purpose="action_reminder")
    assert [m.to for m in mails] == [anna_sundsvall.email] * 2
    plans.plan_item_update(item=action, status="done", due_date=today + timedelta(days=20))
    assert plans.action_reminders_send(now=_at(today + timedelta(days=14))) == 0


def test_an_owner_who_left_the_group_is_not_reminded(group_sundsvall, anna_sundsvall, per_police):
    action = plans.plan_item_create(kind="action", group=group_sundsvall, created_by=anna_sundsvall,
                                    what="Besök terminalen", owner=per_police, due_date=date(2026, 5, 8))
    per_police.memberships.all().delete()
    assert plans.action_reminders_send(now=_at(date(2026, 5, 4))) == 0
    action.refresh_from_db()
    assert action.reminded_for is None


def test_the_reminder_task_mails_the_owner_with_a_link_to_the_plan(
    group_sundsvall, anna_sundsvall, django_capture_on_commit_callbacks, mailoutbox
):
    plans.plan_item_create(kind="action", group=group_sundsvall, created_by=anna_sundsvall, what="Ring Bring",
                           owner=anna_sundsvall, due_date=date(2026, 5, 7))
    with freeze_time("2026-05-04 06:30"), django_capture_on_commit_callbacks(execute=True):
        tasks.action_reminders_daily.delay()
    [message] = mailoutbox
    assert message.to == [anna_sundsvall.email] and "Ring Bring" in message.body
    assert reverse("municipalities:plans", args=[group_sundsvall.pk]) in message.body


def test_weekly_digest_is_sent_once_per_week(group_sundsvall, anna_sundsvall):
    ActionItem.objects.create(working_group=group_sundsvall, what="Besök ombuden", who="Anna", due_date=timezone.localdate())
    assert plans.actions_digest_send() == 1
    assert plans.actions_digest_send() == 0
    assert plans.actions_digest_send(today=timezone.localdate() + timedelta(days=7)) == 1
    assert OutboundEmail.objects.filter(purpose="actions_digest").count() == 2


def test_the_weekly_digest_task_mails_each_coordinator_once_a_week(group_sundsvall, anna_sundsvall):
    ActionItem.objects.create(working_group=group_sundsvall, what="Ring PostNord", who="Anna", due_date=date(2026, 5, 4))
    for day in ("2026-05-04 07:00", "2026-05-04 07:01", "2026-05-06 07:00"):
        with freeze_time(day):
            tasks.actions_digest_weekly.delay()
    assert OutboundEmail.objects.filter(purpose="actions_digest").count() == 1
