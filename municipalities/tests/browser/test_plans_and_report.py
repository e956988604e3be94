"""In the browser, as the coordinator: step 1's decision, goals, an action with its owner who
is reminded, a situation entry retired, reminder days chosen, and the yearly report to the
leadership as a tagged PDF with the year's real figures."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Meeting, Registration
from municipalities import plans
from municipalities.models import ActionItem, Goal, SituationEntry
from tif_portal.outbox import delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.7\n%%EOF"


def test_the_coordinator_keeps_decision_goals_actions_and_reminders(page, live_server, anna_sundsvall, per_police,
                                                                    group_sundsvall, make_meeting, browser_login, page_check):
    SituationEntry.objects.create(working_group=group_sundsvall, date=timezone.localdate(), source="Polisen", text="Gammal bild")
    meeting = make_meeting(group_sundsvall, days=10)
    browser_login(page, anna_sundsvall)
    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    page.get_by_role("link", name="Beslut, vision och mål").click()
    page.get_by_role("link", name="Ändra beslut och vision").click()
    page.get_by_label("Beslutsdatum").fill("2026-03-02")
    page.get_by_label("Beslutat av").fill("Kommunstyrelsen")
    page.get_by_label("Diarienummer").fill("KS 2026/118")
    page.get_by_label("Beslutsdokument").set_input_files({"name": "beslut.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_label("Ledningens e-post").fill("ks@sundsvall.example")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("KS 2026/118")).to_be_visible()

    page.get_by_text("Lägg till ett mål").click()
    page.locator("#id_goal-what").fill("Alla ombud i kommunen nås")
    page.locator("#id_goal-measure").fill("Andel ombud som varit på möte")
    page.locator("#id_goal-target_date").fill("2027-12-31")
    page.get_by_role("button", name="Spara målet").click()
    page.get_by_text("Lägg till en åtgärd").click()
    page.locator("#id_action-what").fill("Besök terminalen")
    page.locator("#id_action-owner").select_option(label="Per Ström")
    page.locator("#id_action-due_date").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Spara åtgärden").click()
    page.get_by_role("button", name="Markera inaktuell Polisen").click()
    page_check(page, "sv", "coordinator: plans")
    assert "Gammal bild" not in page.locator("#situation").locator("xpath=..").inner_text()
    assert Goal.objects.get().target_date == date(2027, 12, 31)
    assert ActionItem.objects.get().owner == per_police
    assert SituationEntry.objects.get().retired_at is not None

    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/andra/")
    page.get_by_label("Första påminnelsen (dagar före)").fill("30")
    page.get_by_label("Andra påminnelsen (dagar före)").fill("7")
    page.get_by_role("button", name="Spara").click()
    page.goto(f"/moten/{meeting.pk}/andra/")
    page.get_by_label("Påminnelse (dagar före)").fill("5")
    page.locator("main form [type=submit]").last.click()
    group_sundsvall.refresh_from_db()
    meeting.refresh_from_db()
    assert (group_sundsvall.first_reminder_days, group_sundsvall.second_reminder_days, meeting.reminder_days_before) == (30, 7, 5)

    # The owner hears about the action from the daily task.
    assert plans.action_reminders_send(now=timezone.now()) == 1
    delivery.deliver_batch()
    assert any(m.to == [per_police.email] and "Besök terminalen" in m.body for m in mail.outbox)


def test_the_leadership_report_pdf_has_the_years_real_figures(page, live_server, anna_sundsvall, group_sundsvall,
                                                            make_meeting, make_site, make_contact, sundsvall,
                                                            browser_login, page_check):
    year = timezone.localdate().year
    start = datetime(year, 2, 10, 18, tzinfo=ZoneInfo("Europe/Stockholm"))
    held = make_meeting(group_sundsvall, title="Samverkansmöte februari", starts_at=start, ends_at=start + timedelta(hours=2))
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    sites = [make_site(sundsvall) for _ in range(2)]
    for n in range(3):
        Registration.objects.create(meeting=held, contact=make_contact(sites[n % 2]), checked_in_at=start)
    group_sundsvall.leadership_email = "ks@sundsvall.example"
    group_sundsvall.save()

    browser_login(page, anna_sundsvall)
    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    page.get_by_role("link", name="Årsrapport till ledningen").click()
    page_check(page, "sv", "coordinator: report")
    figures = page.locator("table").first.inner_text()
    assert "Genomförda möten\t1" in figures and "Deltagare\t3" in figures and "Arbetsplatser som nåddes\t2" in figures
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert reader.trailer["/Root"]["/Lang"] == "sv" and "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Genomförda möten 1" in text and "Deltagare 3" in text and "Arbetsplatser som nåddes 2" in text
    assert "Samverkansmöte februari" in text
    page.get_by_role("button", name="Skicka till ledningen (ks@sundsvall.example)").click()
    expect(page.get_by_text("Rapporten skickas till ks@sundsvall.example")).to_be_visible()
    delivery.deliver_batch()
    [sent] = [m for m in mail.outbox if m.to == ["ks@sundsvall.example"]]
    assert sent.attachments[0][1].startswith(b"%PDF")
