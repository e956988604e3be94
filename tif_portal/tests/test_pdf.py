"""The shared PDF renderer: bundled font, text that extracts with å, ä, ö, local files only."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tif_portal import pdf


def fonts_in(data: bytes) -> dict[str, bool]:
    """Font names in a PDF, each with whether the font file is embedded (/FontFile2)."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                found[str(descriptor["/FontName"])] = "/FontFile2" in descriptor
    return found


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_rendered_pdf_embeds_the_bundled_font_and_keeps_swedish_letters_as_text():
    data = pdf.render_pdf(
        "pdf/sample.html", {"heading": "Märta Ångström", "paragraphs": ["Åsa Öberg på Östra gatan"]}, title="Prov"
    )
    assert data.startswith(b"%PDF")
    text = text_of(data)
    assert "Märta Ångström" in text and "Åsa Öberg på Östra gatan" in text
    fonts = fonts_in(data)
    assert fonts and all(embedded for embedded in fonts.values())
    assert all("DejaVu" in name for name in fonts)
    assert "sida 1 av 1" in text


def test_the_font_comes_from_the_bundled_file_not_the_system():
    pdf.render_pdf("pdf/sample.html", {"heading": "x"})
    assert pdf.local_path("https://tif-portal.invalid/static/vendor/dejavu/DejaVuSans.ttf").is_file()
    loaded = list(pdf.FONT_CONFIG._folder.iterdir())
    assert loaded, "the @font-face rules in print-pdf.css were loaded"


def test_page_numbers_count_the_pages_of_a_long_document():
    rows = [(f"Kontakt Åström {n}", "ICA Nära") for n in range(120)]
    data = pdf.render_pdf("pdf/sample.html", {"heading": "Lista", "rows": rows})
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages >= 3
    assert f"sida 2 av {pages}" in reader.pages[1].extract_text()


def test_render_pdf_pages_numbers_each_rendering_on_its_own():
    data = pdf.render_pdf_pages("pdf/sample.html", [{"heading": f"Brev {n}"} for n in range(3)])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    assert all("sida 1 av 1" in page.extract_text() for page in reader.pages)
    assert "Brev 2" in reader.pages[2].extract_text()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/secret",
        "https://example.com/static/css/print-pdf.css",
        "file:///etc/passwd",
        "https://tif-portal.invalid/static/../../etc/passwd",
        "https://tif-portal.invalid/media/../tif_portal/settings.py",
    ],
)
def test_the_fetcher_serves_no_network_address_and_no_file_outside_static_and_media(url):
    with pytest.raises(ValueError):
        pdf.LocalFilesFetcher().fetch(url)


def test_the_fetcher_serves_media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "a.png").write_bytes(b"png")
    response = pdf.LocalFilesFetcher().fetch("https://tif-portal.invalid/media/logos/a.png")
    assert response.read() == b"png" and response.content_type == "image/png"


def test_an_image_from_the_network_is_left_out_without_failing_the_document():
    data = pdf.render_pdf("pdf/sample.html", {"heading": "Utan bild", "image_url": "https://example.com/x.png"})
    assert "Utan bild" in text_of(data)


# Every document is a tagged PDF (PDF/UA-1) in its language ------------------------------

PDF_TEMPLATES = sorted(
    str(path.relative_to(Path(settings.BASE_DIR) / "templates"))
    for path in (Path(settings.BASE_DIR) / "templates").glob("**/pdf/*.html")
    if path.name != "base.html"
)


def assert_tagged(data: bytes, language: str, name: str) -> None:
    """Marked content, a structure tree for screen readers, the document's language and title."""
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert bool(catalog.get("/MarkInfo", {}).get("/Marked")), f"{name} is not a tagged PDF"
    assert "/StructTreeRoot" in catalog, f"{name} has no structure tree"
    assert str(catalog.get("/Lang", "")).startswith(language), f"{name} names no language {language!r}: {catalog.get('/Lang')}"


@pytest.fixture
def rendered_templates(monkeypatch):
    """The templates every PDF rendered during the test came from."""
    seen = set()
    original = pdf._document

    def document(template_name, *args, **kwargs):
        seen.add(template_name)
        return original(template_name, *args, **kwargs)

    monkeypatch.setattr(pdf, "_document", document)
    return seen


def test_every_pdf_the_portal_makes_is_tagged_and_names_its_language(
    client, rendered_templates, meeting_sundsvall, contact_sundsvall, group_sundsvall, karin_county, decal_order_harnosand
):
    from decals import pdf as decal_pdf
    from meetings import pdf as documents
    from meetings.models import Registration

    Registration.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    made = {
        "sample": pdf.render_pdf("pdf/sample.html", {"heading": "Prov"}, title="Prov"),
        "invitation letter": documents.invitation_letter_pdf(meeting_sundsvall, contact_sundsvall),
        "invitation letters": documents.invitation_letters_pdf(meeting_sundsvall, [contact_sundsvall]),
        "checklist": documents.checklist_pdf(meeting_sundsvall),
        "attendance sheet": documents.attendance_sheet_pdf(meeting_sundsvall),
        "minutes": documents.minutes_pdf(meeting_sundsvall),
        "information sheet": documents.information_sheet_pdf(meeting_sundsvall),
        "decal": documents.decal_pdf("a6"),
        "packing slips": decal_pdf.packing_slips([decal_order_harnosand]),
        "address labels": decal_pdf.address_labels([decal_order_harnosand]),
        "contact sheet": client.get(reverse("knowledge:contact_sheet_pdf", args=[group_sundsvall.pk])).content,
    }
    from municipalities.emails import leadership_report_pdf

    made["leadership report"] = leadership_report_pdf(group_sundsvall, timezone.localdate().year)
    client.force_login(karin_county)
    made["county report"] = client.get(reverse("followup:county_report_pdf", args=[karin_county.county.code])).content
    with translation.override("en"):
        made["decal in English"] = documents.decal_pdf("a5")
    for name, data in made.items():
        assert_tagged(data, "en" if name.endswith("English") else "sv", name)
    assert rendered_templates == set(PDF_TEMPLATES), "a PDF template this test does not render"
