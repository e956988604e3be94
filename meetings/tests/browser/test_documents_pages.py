"""The documents section opens PDFs and refuses a logo that is no picture (the role crawls
check every document's web page with axe in both languages)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Invitation, Minutes, Registration
from tif_portal.models import BackgroundJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def documents_world(settings, tmp_path, meeting_sundsvall, anna_sundsvall, per_police, site_sundsvall, make_contact):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = meeting_sundsvall
    meeting.contact_person = anna_sundsvall
    meeting.save()
    meeting.instructors.add(per_police)
    for name in ("Åsa Öberg", "Märta Ångström"):
        contact = make_contact(site_sundsvall, name=name)
        Invitation.objects.create(meeting=meeting, contact=contact)
        Registration.objects.create(meeting=meeting, contact=contact, checked_in_at=timezone.now())
    Minutes.objects.create(meeting=meeting, text="Genomgång av beslag.", written_by=anna_sundsvall)
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS,
        params={"meeting_id": meeting.pk, "contact_ids": []},
        municipality=meeting.working_group.municipality,
        created_by=anna_sundsvall,
        total=2,
        done=2,
        state=BackgroundJob.State.DONE,
    )
    job.result.save("brev.pdf", ContentFile(b"%PDF-1.7\n"))
    return meeting, job


def test_the_documents_section_links_open_pdfs(page, live_server, documents_world, anna_sundsvall, browser_login):
    meeting, _job = documents_world
    browser_login(page, anna_sundsvall)
    page.goto(meeting.get_absolute_url())
    section = page.locator("section", has=page.get_by_role("heading", name="Dokument"))
    href = section.get_by_role("link", name="PDF – Checklista").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"


def test_a_non_image_logo_is_refused_with_a_clear_message(nojs_page, live_server, documents_world, anna_sundsvall, browser_login, tmp_path):
    meeting, _job = documents_world
    browser_login(nojs_page, anna_sundsvall)
    nojs_page.goto(reverse("meetings:logo_upload", args=[meeting.pk]))
    fake = tmp_path / "logga.png"
    fake.write_bytes(b"not a picture at all")
    nojs_page.get_by_label("Logotyp").set_input_files(str(fake))
    nojs_page.get_by_role("button", name="Ladda upp logotypen").click()
    expect(nojs_page.get_by_text("Filen är ingen bild som går att använda")).to_be_visible()
