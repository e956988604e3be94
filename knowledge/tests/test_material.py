"""Material for those who could not attend: files and links on a meeting or a knowledge page,
reached by participants from the minutes mail and their own page."""

import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.models import Material, Page
from meetings.models import Registration
from meetings.services import outreach
from tif_portal.outbox import delivery
from tif_portal.storage import private_storage
from tif_portal.uploads import MAX_DOCUMENT_BYTES

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"


def _pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<presentation/>")
    return buffer.getvalue()


def _add(client, meeting, **data):
    return client.post(reverse("knowledge:meeting_material", args=[meeting.pk]), data)


@pytest.fixture
def attended(meeting_sundsvall, contact_sundsvall):
    return Registration.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall, checked_in_at=meeting_sundsvall.starts_at)


def test_the_coordinator_adds_a_presentation_and_a_film_link_and_bad_files_are_refused(client, anna_sundsvall, meeting_sundsvall):
    client.force_login(anna_sundsvall)
    assert _add(client, meeting_sundsvall, title="Presentationen", file=SimpleUploadedFile("tif.pptx", _pptx())).status_code == 302
    assert _add(client, meeting_sundsvall, title="Filmen", url="https://video.example/tif").status_code == 302
    refused = {
        "Filtypen tas inte emot": {"file": SimpleUploadedFile("virus.exe", b"MZ")},
        "inte en giltig PPTX-fil": {"file": SimpleUploadedFile("fake.pptx", b"PK not really")},
        "inte en giltig PDF-fil": {"file": SimpleUploadedFile("fake.pdf", b"<html>")},
        "inte båda": {"file": SimpleUploadedFile("a.pdf", PDF), "url": "https://video.example/x"},
        "börja med https://": {"url": "http://video.example/x"},
        "Ladda upp en fil eller ange en länk.": {},
    }
    for message, data in refused.items():
        response = _add(client, meeting_sundsvall, title="Fel", **data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert sorted(Material.objects.values_list("title", "kind")) == [("Filmen", "link"), ("Presentationen", "file")]
    presentation = Material.objects.get(kind="file")
    assert private_storage.exists(presentation.file.name) and presentation.size == len(_pptx())


def test_a_file_over_the_limit_is_refused(client, anna_sundsvall, meeting_sundsvall):
    client.force_login(anna_sundsvall)
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * (MAX_DOCUMENT_BYTES + 1 - len(PDF)))
    response = _add(client, meeting_sundsvall, title="Stor", file=big)
    assert "större än 25 MB" in response.content.decode() and not Material.objects.exists()


def test_participants_reach_the_material_from_the_minutes_mail_and_nobody_else_does(
    client, anna_sundsvall, meeting_sundsvall, attended, contact_harnosand, bo_harnosand
):
    Material.objects.create(title="Presentationen", kind="file", meeting=meeting_sundsvall,
                            file=SimpleUploadedFile("tif.pdf", PDF), content_type="application/pdf", size=len(PDF))
    outreach.minutes_save(meeting=meeting_sundsvall, text="Vi gick igenom beslagen.", written_by=anna_sundsvall)
    meeting_sundsvall.starts_at = meeting_sundsvall.starts_at.replace(year=meeting_sundsvall.starts_at.year - 1)
    meeting_sundsvall.ends_at = meeting_sundsvall.ends_at.replace(year=meeting_sundsvall.ends_at.year - 1)
    meeting_sundsvall.save()
    outreach.minutes_send(meeting=meeting_sundsvall, sent_by=anna_sundsvall)
    delivery.deliver_batch()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    personal = reverse("knowledge:material_personal", args=[attended.token])
    assert personal in bodies[attended.contact.email]
    assert reverse("knowledge:meeting_material", args=[meeting_sundsvall.pk]) in bodies[anna_sundsvall.email]

    page = client.get(personal)
    assert page.status_code == 200 and "Presentationen" in page.content.decode()
    item = Material.objects.get()
    download = client.get(reverse("knowledge:material_personal_file", args=[attended.token, item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # Another meeting's material, a wrong token, a cancelled registration: nothing.
    other = Material.objects.create(title="Härnösand", kind="link", url="https://video.example/h",
                                    meeting=bo_harnosand.memberships.get().working_group.meetings.create(
                                        title="Annat", starts_at=meeting_sundsvall.starts_at, ends_at=meeting_sundsvall.ends_at, place="X"))
    assert client.get(reverse("knowledge:material_personal_file", args=[attended.token, other.pk])).status_code == 404
    assert client.get(reverse("knowledge:material_personal", args=["fel"])).status_code == 404
    assert client.get(reverse("knowledge:material_file", args=[item.pk])).status_code == 404
    client.force_login(bo_harnosand)
    assert client.get(reverse("knowledge:material_file", args=[item.pk])).status_code == 404
    assert client.get(reverse("knowledge:meeting_material", args=[meeting_sundsvall.pk])).status_code == 404
    Registration.objects.filter(pk=attended.pk).update(status=Registration.Status.CANCELLED)
    client.logout()
    assert client.get(personal).status_code == 404


def test_an_instructor_reads_the_material_but_adds_none(client, per_police, meeting_sundsvall):
    Material.objects.create(title="Filmen", kind="link", url="https://video.example/tif", meeting=meeting_sundsvall)
    client.force_login(per_police)
    url = reverse("knowledge:meeting_material", args=[meeting_sundsvall.pk])
    page = client.get(url)
    assert "Filmen" in page.content.decode() and page.context["form"] is None
    assert client.post(url, {"title": "x", "url": "https://video.example/y"}).status_code == 403


def test_the_contacts_own_page_lists_the_material_of_their_meetings(client, attended, meeting_sundsvall):
    from accounts.contact_login import contact_link_request

    Material.objects.create(title="Filmen om beslag", kind="link", url="https://video.example/tif", meeting=meeting_sundsvall)
    contact_link_request(email=attended.contact.email)
    attended.contact.refresh_from_db()
    client.force_login(attended.contact.user)
    page = client.get(reverse("contact:my_page")).content.decode()
    assert "Material från möten" in page and "Filmen om beslag" in page


def test_a_county_officer_puts_material_on_a_knowledge_page_for_everyone(client, karin_county):
    page = Page.objects.get(slug="illegala-varor")
    client.force_login(karin_county)
    response = client.post(reverse("knowledge:page_material", args=[page.slug]),
                           {"title": "Affisch om illegala varor", "file": SimpleUploadedFile("affisch.pdf", PDF)})
    assert response.status_code == 302
    client.logout()
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Affisch om illegala varor" in html
    href = re.search(r'href="(/kunskap/material/\d+/fil/)"', html).group(1)
    assert b"".join(client.get(href).streaming_content) == PDF
    Page.objects.filter(pk=page.pk).update(published=False)
    assert client.get(href).status_code == 404
    assert client.get(reverse("knowledge:page_material", args=[page.slug])).status_code == 302  # to the login
