"""In the browser: the coordinator puts the presentation and the film on a held meeting, and a
participant who got the minutes opens the material from the link in the mail."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Meeting, Registration
from meetings.services import outreach
from tif_portal.outbox import delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"


def test_a_participant_reaches_the_material_from_the_minutes_mail(page, chromium, live_server, anna_sundsvall, group_sundsvall,
                                                                  make_meeting, contact_sundsvall, browser_login, page_check):
    held = make_meeting(group_sundsvall, days=-3)
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    Registration.objects.create(meeting=held, contact=contact_sundsvall, checked_in_at=held.starts_at)

    browser_login(page, anna_sundsvall)
    page.goto(f"/moten/{held.pk}/")
    page.get_by_role("link", name="Material att dela").click()
    page.get_by_label("Rubrik").fill("Presentationen från mötet")
    page.get_by_label("Fil").set_input_files({"name": "tif.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Lägg till materialet").click()
    page.get_by_label("Rubrik").fill("Filmen")
    page.get_by_label("eller en länk").fill("https://video.example/tif")
    page.get_by_role("button", name="Lägg till materialet").click()
    expect(page.locator("main")).to_contain_text("Presentationen från mötet")
    expect(page.locator("main")).to_contain_text("Filmen")
    page_check(page, "sv", "coordinator: meeting material")

    outreach.minutes_save(meeting=held, text="Vi gick igenom beslagen.", written_by=anna_sundsvall)
    outreach.minutes_send(meeting=held, sent_by=anna_sundsvall)
    delivery.deliver_batch()
    [minutes] = [m for m in mail.outbox if m.to == [contact_sundsvall.email]]
    link = re.search(r"https?://\S+/kunskap/material/for/\S+/", minutes.body).group(0)

    participant = chromium.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    participant.goto(urlparse(link).path)  # the mail names the public address; the test server is elsewhere
    assert "Presentationen från mötet" in participant.content()
    page_check(participant, "sv", "participant: material")
    with participant.expect_download() as download:
        participant.get_by_role("link", name="Presentationen från mötet").click()
    assert open(download.value.path(), "rb").read() == PDF
    assert participant.get_by_role("link", name="Filmen").get_attribute("href") == "https://video.example/tif"
    participant.context.close()
