"""The meeting's documents: text (with å, ä, ö) extracted from each PDF, page counts,
the embedded font, the same scoping as the meeting, the logo upload and letter batches."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from meetings import pdf as meeting_pdf
from meetings import tasks as meeting_tasks
from meetings.models import ChecklistItem, Invitation, MeetingInstructor, Minutes, Registration
from meetings.services import letters
from meetings.services import meetings as meeting_services
from municipalities import services as municipality_services
from tif_portal.models import BackgroundJob
from tif_portal.storage import private_storage
from tif_portal.tests.test_pdf import fonts_in

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"


def read(data: bytes, name: str = "") -> tuple[str, int]:
    """The PDF's text and page count; the file is also kept in test-artifacts/pdf to look at."""
    if name:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)  # lines wrap where the layout breaks them


def assert_font_embedded(data: bytes):
    fonts = fonts_in(data)
    assert fonts, "the PDF has fonts"
    assert all(embedded for embedded in fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts), fonts


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(size=(120, 40), color=(11, 61, 99)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def demo_meeting(meeting_sundsvall, anna_sundsvall, per_police, site_sundsvall, make_site, make_contact, sundsvall):
    """A meeting as the demo data has it: named participants with å, ä, ö, an instructor, minutes, a checklist."""
    meeting = meeting_sundsvall
    meeting.contact_person = anna_sundsvall
    meeting.address = "Norrmalmsgatan 4"
    meeting.save()
    MeetingInstructor.objects.create(meeting=meeting, user=per_police, confirmed_at=timezone.now())
    second_site = make_site(sundsvall, name="Östermalms Tobak & Paket", company="DHL")
    asa = make_contact(site_sundsvall, name="Åsa Öberg", email="asa@ica.example")
    marta = make_contact(second_site, name="Märta Ångström", email="marta@tobak.example", language="en")
    for contact in (asa, marta):
        Invitation.objects.create(meeting=meeting, contact=contact)
    Registration.objects.create(meeting=meeting, contact=asa, checked_in_at=timezone.now())
    Registration.objects.create(meeting=meeting, contact=marta)
    ChecklistItem.objects.create(
        meeting=meeting, position=1, key="contact_police_customs", done_at=timezone.now(), done_by=anna_sundsvall
    )
    ChecklistItem.objects.create(meeting=meeting, position=2, key="book_room")
    Minutes.objects.create(
        meeting=meeting, text="Genomgång av beslag i Västernorrland.\n\nFrågor om skåpen i Njurunda.", written_by=anna_sundsvall
    )
    meeting.asa, meeting.marta = asa, marta
    return meeting


# Every document renders, with its text intact --------------------------------------------


def test_invitation_letter_names_the_recipient_their_workplace_and_the_meeting(demo_meeting, media):
    data = meeting_pdf.invitation_letter_pdf(demo_meeting, demo_meeting.asa)
    text, pages = read(data, "invitation_letter")
    assert pages == 1
    assert "Åsa Öberg" in text and "ICA Nära Sundsvall" in text
    assert "Sundsvall" in text and "Stadshuset, Norrmalmsgatan 4" in text
    assert "Anna Åkesson" in text and "anna@sundsvall.example" in text
    assert f"{timezone.localtime(demo_meeting.registration_deadline).day} " in text
    assert "Polisen och Sundsvalls kommun" in text, "the default wording"
    assert "sida 1 av 1" in text
    assert_font_embedded(data)


def test_invitation_letter_is_written_in_the_recipients_language(demo_meeting, media):
    text, _ = read(meeting_pdf.invitation_letter_pdf(demo_meeting, demo_meeting.marta))
    assert "Märta Ångström" in text and "Östermalms Tobak & Paket" in text


def test_invitation_letter_uses_the_coordinators_wording_and_the_municipality_logo(demo_meeting, media):
    municipality = demo_meeting.working_group.municipality
    municipality_services.municipality_logo_replace(
        municipality=municipality, upload=SimpleUploadedFile("logo.png", png_bytes()), image_format="PNG"
    )
    meeting_services.invitation_text_set(meeting=demo_meeting, text="Välkomna till vårt möte om paket.\n\nFika finns.")
    data = meeting_pdf.invitation_letter_pdf(demo_meeting)
    text, pages = read(data, "invitation_letter_logo")
    assert "Välkomna till vårt möte om paket." in text and "Fika finns." in text
    assert "Polisen och kommunen i" not in text
    assert pages == 1
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].images, "the logo is in the letter"


def test_saving_the_default_wording_keeps_no_copy_of_it(demo_meeting):
    meeting_services.invitation_text_set(meeting=demo_meeting, text=meeting_pdf.invitation_default_text(demo_meeting))
    demo_meeting.refresh_from_db()
    assert demo_meeting.invitation_text == ""


def test_checklist_shows_each_step_whether_done_by_whom_and_when(demo_meeting):
    data = meeting_pdf.checklist_pdf(demo_meeting)
    text, pages = read(data, "checklist")
    assert pages == 1
    assert "Kontakta polis och Tullverket och boka instruktörer" in text
    assert "Skicka anteckningarna till arbetsgruppen" in text, "steps not started are listed too"
    assert "Anna Åkesson" in text and timezone.localdate().isoformat() in text
    assert_font_embedded(data)


def test_attendance_sheet_lists_registered_participants_and_empty_rows(demo_meeting):
    data = meeting_pdf.attendance_sheet_pdf(demo_meeting)
    text, pages = read(data, "attendance_sheet")
    assert pages == 1
    assert "Åsa Öberg" in text and "Märta Ångström" in text and "Namnteckning" in text
    assert " 11 12 " in text, "numbered empty rows follow the two participants"
    assert "asa@ica.example" not in text and "marta@tobak.example" not in text, "the sheet goes round the room"
    assert_font_embedded(data)


def test_attendance_sheet_for_many_participants_runs_over_pages_with_page_numbers(demo_meeting, site_sundsvall, make_contact):
    for n in range(60):
        Registration.objects.create(meeting=demo_meeting, contact=make_contact(site_sundsvall, name=f"Örjan Ängel {n:02d}"))
    text, pages = read(meeting_pdf.attendance_sheet_pdf(demo_meeting))
    assert pages >= 3
    assert f"sida {pages} av {pages}" in text and "Örjan Ängel 59" in text


def test_minutes_list_attendees_instructors_and_text(demo_meeting):
    data = meeting_pdf.minutes_pdf(demo_meeting)
    text, pages = read(data, "minutes")
    assert pages == 1
    assert "Åsa Öberg" in text and "Märta Ångström" not in text, "only those who came"
    assert "Per Ström" in text
    assert "Genomgång av beslag i Västernorrland." in text and "Frågor om skåpen i Njurunda." in text
    assert_font_embedded(data)


def test_information_sheet_says_how_to_reach_police_and_customs(demo_meeting, settings):
    settings.SITE_URL = "https://tif.example.se"
    data = meeting_pdf.information_sheet_pdf(demo_meeting)
    text, pages = read(data, "information_sheet")
    assert pages <= 2
    assert "114 14" in text and "112" in text and "Tullverket" in text
    assert "https://tif.example.se/kunskap/" in text
    assert_font_embedded(data)


@pytest.mark.parametrize("size,width_mm", [("a4", 210), ("a5", 148), ("a6", 105)])
def test_decal_fills_one_page_of_its_size(size, width_mm):
    data = meeting_pdf.decal_pdf(size)
    text, pages = read(data, f"decal_{size}")
    assert pages == 1
    assert "Vi samarbetar mot illegala försändelser" in text.replace("\n", " ")
    width = float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    assert abs(width / 72 * 25.4 - width_mm) < 1
    assert_font_embedded(data)


def test_decal_refuses_an_unknown_size():
    with pytest.raises(ValueError):
        meeting_pdf.decal_pdf("a3")


# The views: PDF and HTML, the meeting's permissions -----------------------------------------

DOCUMENT_URLS = [
    ("meetings:invitation_letter_pdf", []),
    ("meetings:invitation_letter_html", []),
    ("meetings:checklist_pdf", []),
    ("meetings:checklist_html", []),
    ("meetings:attendance_sheet_pdf", []),
    ("meetings:attendance_sheet_html", []),
    ("meetings:minutes_pdf", []),
    ("meetings:minutes_html", []),
    ("meetings:information_sheet_pdf", []),
    ("meetings:information_sheet_html", []),
    ("meetings:decal_pdf", ["a6"]),
    ("meetings:decal_html", ["a6"]),
]


@pytest.mark.parametrize("url_name,extra", DOCUMENT_URLS)
def test_each_document_opens_for_the_coordinator_and_not_for_another_municipality(
    client, demo_meeting, anna_sundsvall, bo_harnosand, url_name, extra
):
    url = reverse(url_name, args=[demo_meeting.pk, *extra])
    client.force_login(anna_sundsvall)
    response = client.get(url)
    assert response.status_code == 200
    if url_name.endswith("_pdf"):
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    else:
        page = response.content.decode()
        assert page.count("<h1") == 1
        assert reverse(url_name.replace("_html", "_pdf"), args=[demo_meeting.pk, *extra]) in page
    client.force_login(bo_harnosand)
    assert client.get(url).status_code == 404


def test_the_html_letter_has_the_same_body_as_the_pdf(client, demo_meeting, anna_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:invitation_letter_html", args=[demo_meeting.pk]) + f"?kontakt={demo_meeting.asa.pk}"
    page = client.get(url).content.decode()
    assert "Åsa Öberg" in page and "Polisen och Sundsvalls kommun" in page


def test_a_letter_to_another_municipalitys_contact_gives_404(client, demo_meeting, anna_sundsvall, harnosand, make_site, make_contact):
    foreign = make_contact(make_site(harnosand), name="Främling")
    client.force_login(anna_sundsvall)
    url = reverse("meetings:invitation_letter_pdf", args=[demo_meeting.pk]) + f"?kontakt={foreign.pk}"
    assert client.get(url).status_code == 404


def test_an_instructor_reads_the_documents_that_name_no_participant_but_never_the_attendance_sheet(
    client, demo_meeting, per_police
):
    client.force_login(per_police)  # the demo meeting's instructor
    for name in ("checklist_pdf", "information_sheet_html", "minutes_html", "invitation_letter_html"):
        assert client.get(reverse(f"meetings:{name}", args=[demo_meeting.pk])).status_code == 200, name
    for name in ("attendance_sheet_pdf", "attendance_sheet_html", "invitation_letters_start"):
        assert client.get(reverse(f"meetings:{name}", args=[demo_meeting.pk])).status_code == 403, name
    contact = demo_meeting.invitations.first().contact
    letter = reverse("meetings:invitation_letter_html", args=[demo_meeting.pk]) + f"?kontakt={contact.pk}"
    assert client.get(letter).status_code == 404, "no contact's name or workplace through the letter"
    page = client.get(demo_meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:attendance_sheet_pdf", args=[demo_meeting.pk]) not in page


def test_the_meeting_page_links_every_document(client, demo_meeting, anna_sundsvall):
    client.force_login(anna_sundsvall)
    page = client.get(demo_meeting.get_absolute_url()).content.decode()
    for url_name, extra in DOCUMENT_URLS:
        assert reverse(url_name, args=[demo_meeting.pk, *(["a5"] if extra else [])]) in page
    assert reverse("meetings:invitation_letters_start", args=[demo_meeting.pk]) in page


def test_editing_the_letter_text_shows_the_default_first_and_saves_the_new_one(client, demo_meeting, anna_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:invitation_text_edit", args=[demo_meeting.pk])
    assert "Polisen och Sundsvalls kommun" in client.get(url).content.decode()
    client.post(url, {"invitation_text": "Hjärtligt välkomna!"})
    demo_meeting.refresh_from_db()
    assert demo_meeting.invitation_text == "Hjärtligt välkomna!"


# Logo upload ------------------------------------------------------------------------------


def test_logo_upload_stores_an_image_on_the_municipality(client, demo_meeting, anna_sundsvall, media):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:logo_upload", args=[demo_meeting.pk])
    response = client.post(url, {"logo": SimpleUploadedFile("logga.png", png_bytes(), "image/png")})
    assert response.status_code == 302
    municipality = demo_meeting.working_group.municipality
    municipality.refresh_from_db()
    assert municipality.logo.name.startswith("logos/2281-") and municipality.logo.name.endswith(".png")
    assert (media / municipality.logo.name).is_file()


def test_logo_upload_rejects_a_file_that_is_not_an_image(client, demo_meeting, anna_sundsvall, media):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:logo_upload", args=[demo_meeting.pk])
    fake = SimpleUploadedFile("logga.png", b"%PDF-1.7 not a picture", "image/png")
    page = client.post(url, {"logo": fake}).content.decode()
    assert "Filen är ingen bild som går att använda" in page and "The file is not a usable image" not in page
    demo_meeting.working_group.municipality.refresh_from_db()
    assert not demo_meeting.working_group.municipality.logo


def test_logo_upload_rejects_a_file_over_two_megabytes(client, demo_meeting, anna_sundsvall, media):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:logo_upload", args=[demo_meeting.pk])
    big = SimpleUploadedFile("logga.png", png_bytes() + b"\0" * (2 * 1024 * 1024), "image/png")
    page = client.post(url, {"logo": big}).content.decode()
    assert "Filen är större än 2 MB" in page and "The file is larger than 2 MB" not in page


def test_logo_upload_needs_a_manager(client, demo_meeting, per_police):
    client.force_login(per_police)
    assert client.get(reverse("meetings:logo_upload", args=[demo_meeting.pk])).status_code == 403


# Letters to many recipients ---------------------------------------------------------------


@pytest.fixture
def sixty_invited(demo_meeting, sundsvall, make_site, make_contact):
    """60 invited contacts with Swedish names over 10 workplaces (plus the demo's two): three
    parts, the last one short. The benchmark makes 500 (``python -m tif_portal.bench.pdf``)."""
    from meetings.models import Contact

    sites = [make_site(sundsvall, name=f"Paketombud Ödsmål {n:02d}") for n in range(10)]
    first = ["Åsa", "Märta", "Örjan", "Ängla", "Björn"]
    contacts = Contact.objects.bulk_create(
        Contact(site=sites[n % 10], name=f"{first[n % 5]} Ångström {n:03d}", email=f"k{n}@ombud.example")
        for n in range(58)
    )
    Invitation.objects.bulk_create(Invitation(meeting=demo_meeting, contact=c) for c in contacts)
    return demo_meeting


def test_letters_to_many_invited_make_one_pdf_with_a_page_each_and_progress_reaches_100(
    client, sixty_invited, anna_sundsvall, media, django_capture_on_commit_callbacks
):
    meeting = sixty_invited
    client.force_login(anna_sundsvall)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:invitation_letters_start", args=[meeting.pk]), {"all": "1"})
    job = BackgroundJob.objects.get()
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE, job.error
    assert job.total == 60 and job.done == 60 and job.percent == 100
    assert job.parts_total == 3 and job.parts_done == [0, 1, 2]
    reader = PdfReader(job.result.open("rb"))
    assert len(reader.pages) == 60
    assert "Åsa Ångström 000" in reader.pages[0].extract_text() or "Åsa Öberg" in reader.pages[0].extract_text()
    all_text = "".join(reader.pages[n].extract_text() for n in (0, 30, 59))
    assert "sida 1 av 1" in all_text
    assert not list(Path(private_storage.path("jobs/parts")).glob("*.pdf")), "the parts are removed after merging"
    assert not (media / "jobs").exists(), "letters name contacts: never in the public media folder"

    page = client.get(job.get_absolute_url()).content.decode()
    assert "60 av 60 klara (100 %)" in page and reverse("job_download", args=[job.pk]) in page
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_a_part_run_twice_is_counted_once(demo_meeting, anna_sundsvall, media, django_capture_on_commit_callbacks):
    contacts = list(letters.invitation_letter_recipients(demo_meeting))
    job = letters.invitation_letters_start(meeting=demo_meeting, contacts=contacts, started_by=anna_sundsvall)
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.RUNNING, parts_total=2)
    meeting_tasks.invitation_letters_part(job.pk, 0)
    meeting_tasks.invitation_letters_part(job.pk, 0)
    job.refresh_from_db()
    assert job.done == 2 and job.parts_done == [0] and job.state == BackgroundJob.State.RUNNING


def test_letters_to_selected_contacts_only(client, demo_meeting, anna_sundsvall, media, django_capture_on_commit_callbacks):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:invitation_letters_start", args=[demo_meeting.pk])
    assert "Märta Ångström" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"contacts": [demo_meeting.marta.pk]})
    job = BackgroundJob.objects.get()
    job.refresh_from_db()
    text, pages = read(job.result.open("rb").read(), "letters_selected")
    assert pages == 1 and "Märta Ångström" in text and "Åsa Öberg" not in text


def test_choosing_no_recipient_says_what_to_do(client, demo_meeting, anna_sundsvall):
    client.force_login(anna_sundsvall)
    page = client.post(reverse("meetings:invitation_letters_start", args=[demo_meeting.pk]), {}).content.decode()
    assert "Välj minst en mottagare." in page
    assert not BackgroundJob.objects.exists()


def test_the_job_page_shows_progress_without_reloading_itself_and_is_scoped(client, demo_meeting, anna_sundsvall, bo_harnosand):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS,
        params={"meeting_id": demo_meeting.pk, "contact_ids": []},
        municipality=demo_meeting.working_group.municipality,
        total=40,
        done=10,
        state=BackgroundJob.State.RUNNING,
    )
    client.force_login(anna_sundsvall)
    response = client.get(job.get_absolute_url())
    page = response.content.decode()
    assert 'http-equiv="refresh"' not in page and not response.has_header("Refresh")
    assert "10 av 40 klara (25 %)" in page and 'aria-live="polite"' in page
    assert client.get(reverse("job_status", args=[job.pk])).json()["percent"] == 25
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404, "nothing to download yet"
    client.force_login(bo_harnosand)
    assert client.get(job.get_absolute_url()).status_code == 404


def test_letters_for_a_meeting_with_a_deadline_passed_still_render(demo_meeting):
    demo_meeting.registration_deadline = timezone.now() - timedelta(days=1)
    demo_meeting.save()
    assert meeting_pdf.invitation_letter_pdf(demo_meeting).startswith(b"%PDF")


@pytest.fixture
def thirty_invited(demo_meeting, sundsvall, make_site, make_contact):
    """30 invited contacts: two parts of the letter job, 25 and 5 letters."""
    from meetings.models import Contact

    site = make_site(sundsvall, name="Paketombud Ödsmål")
    contacts = Contact.objects.bulk_create(
        Contact(site=site, name=f"Örjan Ångström {n:02d}", email=f"o{n}@ombud.example") for n in range(28)
    )
    Invitation.objects.bulk_create(Invitation(meeting=demo_meeting, contact=c) for c in contacts)
    return demo_meeting


def test_a_letter_job_with_a_part_missing_fails_naming_the_letters_and_runs_again_to_completion(
    client, thirty_invited, anna_sundsvall, media, django_capture_on_commit_callbacks
):
    contacts = list(letters.invitation_letter_recipients(thirty_invited))
    job = letters.invitation_letters_start(meeting=thirty_invited, contacts=contacts, started_by=anna_sundsvall)
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.RUNNING, parts_total=2)
    meeting_tasks.invitation_letters_part(job.pk, 1)
    private_storage.delete(f"jobs/parts/{job.pk}-0001.pdf")  # the second part's file is lost
    meeting_tasks.invitation_letters_part(job.pk, 0)  # completes the set: the merge runs

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED and not job.result
    assert job.params["missing_parts"] == [1]
    client.force_login(anna_sundsvall)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Delar av resultatet saknas" in page and "brev 26–30" in page
    assert reverse("job_retry", args=[job.pk]) in page
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_retry", args=[job.pk]))
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE, job.error
    text, pages = read(job.result.open("rb").read(), "letters_retried")
    assert pages == 30 and "Örjan Ångström 27" in text


def test_a_letter_job_whose_part_only_had_erased_contacts_still_completes(
    thirty_invited, anna_sundsvall, media, django_capture_on_commit_callbacks
):
    from meetings.models import Contact

    contacts = list(letters.invitation_letter_recipients(thirty_invited))
    Contact.objects.filter(pk__in=[c.pk for c in contacts[25:]]).update(erased_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        job = letters.invitation_letters_start(meeting=thirty_invited, contacts=contacts, started_by=anna_sundsvall)
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE, job.error
    assert read(job.result.open("rb").read())[1] == 25


def test_only_a_manager_runs_a_failed_job_again_and_a_job_that_did_not_fail_is_left_alone(
    client, job_harnosand, bo_harnosand, anna_sundsvall
):
    client.force_login(anna_sundsvall)
    assert client.post(reverse("job_retry", args=[job_harnosand.pk])).status_code == 404
    client.force_login(bo_harnosand)
    client.post(reverse("job_retry", args=[job_harnosand.pk]))
    job_harnosand.refresh_from_db()
    assert job_harnosand.state == BackgroundJob.State.DONE
