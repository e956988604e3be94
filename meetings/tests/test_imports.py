"""CSV import of sites: encodings, separators, bad rows, files that are not CSV, re-imports."""

import pytest
from django.urls import reverse

from meetings import imports
from meetings.models import Contact, Site

HEADER_SV = "företag;typ;namn;id;adress;postnummer;ort"
ROWS_SV = [
    "PostNord;ombud;ICA Kvantum Birsta;PN-1001;Birstavägen 5;856 50;Sundsvall",
    "DHL;ombud;Coop Centrum;DHL-77;Storgatan 10;85230;Sundsvall",
    "Schenker;terminal;Terminal Nord;SC-3;Industrigatan 2;852 38;Sundsvall",
]


def _csv(lines, *, encoding="utf-8", bom=False):
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _plan(data, municipality, user):
    return imports.plan(imports.read_rows(data), municipality=municipality, user=user)


def _apply(data, municipality, user):
    return imports.import_apply(imports.read_rows(data), municipality=municipality, user=user)


def _snapshot():
    sites = list(
        Site.objects.order_by("pk").values_list("company", "external_id", "name", "street", "postal_code", "city")
    )
    contacts = list(Contact.objects.order_by("pk").values_list("site_id", "name", "email", "phone"))
    return sites, contacts


def test_utf8_with_bom_and_semicolons_creates_every_site(sundsvall, anna_sundsvall):
    counts = _apply(_csv([HEADER_SV, *ROWS_SV], bom=True), sundsvall, anna_sundsvall)
    assert counts == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    site = Site.objects.get(external_id="DHL-77")
    assert (site.municipality, site.postal_code, site.kind) == (sundsvall, "852 30", Site.Kind.AGENT)
    assert Site.objects.get(external_id="SC-3").kind == Site.Kind.TERMINAL
    assert site.history.get().history_user == anna_sundsvall, "every imported site has its history"


def test_windows_1252_with_commas_and_english_headers(sundsvall, anna_sundsvall):
    lines = [
        "company,kind,name,external_id,street,postal_code,city",
        "Bring,letter carrier office,Brevbärarkontor Öst,BR-1,Åkervägen 3,852 31,Sundsvall",
    ]
    _apply(_csv(lines, encoding="cp1252"), sundsvall, anna_sundsvall)
    site = Site.objects.get(external_id="BR-1")
    assert site.name == "Brevbärarkontor Öst" and site.street == "Åkervägen 3"
    assert site.kind == Site.Kind.LETTER_CARRIER


def test_utf8_without_bom_and_commas_with_contact_columns(sundsvall, anna_sundsvall):
    lines = [
        "Foretag,Namn,Adress,Postnummer,Ort,contact_name,contact_email,contact_phone",
        'PostNord,"Ombud, Nacksta",Nackstavägen 1,856 52,Sundsvall,Åsa Öberg,Asa@Ombud.example,070-111',
    ]
    _apply(_csv(lines), sundsvall, anna_sundsvall)
    contact = Contact.objects.get()
    assert (contact.site.name, contact.name, contact.email, contact.phone) == (
        "Ombud, Nacksta",
        "Åsa Öberg",
        "asa@ombud.example",
        "070-111",
    )


def test_a_bad_row_is_reported_with_its_line_and_reason(sundsvall, anna_sundsvall):
    lines = [HEADER_SV, ROWS_SV[0], ROWS_SV[1], "PostNord;ombud;Utan postnummer;PN-9;Gatan 1;;Sundsvall"]
    plan = _plan(_csv(lines), sundsvall, anna_sundsvall)
    assert [row.action for row in plan.rows] == ["create", "create", "error"]
    assert plan.rows[2].message == "Rad 4: postnumret saknas. (Row 4: the postal code is missing.)"


def test_unknown_kind_bad_email_and_foreign_municipality_code_are_errors(sundsvall, anna_sundsvall):
    lines = [
        "företag;typ;namn;adress;postnummer;ort;kommunkod;contact_name;contact_email",
        "PostNord;flygplats;A;Gatan 1;852 30;Sundsvall;;;",
        "PostNord;ombud;B;Gatan 2;852 30;Sundsvall;;Eva;inte-en-adress",
        "PostNord;ombud;C;Gatan 3;871 30;Härnösand;2280;;",
    ]
    plan = _plan(_csv(lines), sundsvall, anna_sundsvall)
    assert [row.action for row in plan.rows] == ["error", "error", "error"]
    assert "typen" in plan.rows[0].message
    assert "e-postadress" in plan.rows[1].message
    assert "2280" in plan.rows[2].message


def test_the_same_site_twice_in_one_file_is_an_error(sundsvall, anna_sundsvall):
    lines = [HEADER_SV, ROWS_SV[0], "PostNord;ombud;ICA Birsta igen;;Birstavägen  5;85650;Sundsvall"]
    plan = _plan(_csv(lines), sundsvall, anna_sundsvall)
    assert plan.rows[1].action == "error"
    assert "rad 2" in plan.rows[1].message


def test_a_file_that_is_not_csv_gets_a_clear_message(sundsvall, anna_sundsvall):
    with pytest.raises(imports.ImportFileError, match="inte en textfil"):
        imports.read_rows(b"%PDF-1.7\x00\x01\x02binary")
    with pytest.raises(imports.ImportFileError, match="saknar kolumnerna"):
        imports.read_rows(_csv(["artikel;pris", "Dekal;10"]))


def test_reimporting_the_same_file_changes_nothing(sundsvall, anna_sundsvall, make_site):
    data = _csv([HEADER_SV, *ROWS_SV])
    _apply(data, sundsvall, anna_sundsvall)
    before = _snapshot()
    plan = _plan(data, sundsvall, anna_sundsvall)
    assert [row.action for row in plan.rows] == ["unchanged"] * 3
    _apply(data, sundsvall, anna_sundsvall)
    assert _snapshot() == before


def test_existing_sites_are_found_by_company_id_and_by_address(sundsvall, anna_sundsvall, make_site):
    by_id = make_site(
        sundsvall,
        company="PostNord",
        external_id="PN-1001",
        name="Gammalt namn",
        street="Birstavägen 5",
        postal_code="856 50",
        city="Sundsvall",
    )
    by_address = make_site(
        sundsvall,
        company="DHL",
        external_id="",
        name="Coop Centrum",
        street="storgatan 10",
        postal_code="852 30",
        city="Sundsvall",
    )
    plan = _plan(_csv([HEADER_SV, *ROWS_SV]), sundsvall, anna_sundsvall)
    assert [(row.action, row.site) for row in plan.rows[:2]] == [("update", by_id), ("update", by_address)]
    assert plan.rows[0].changes == ["name"]


def test_a_failure_leaves_the_database_as_it_was(sundsvall, anna_sundsvall, make_site, monkeypatch):
    make_site(sundsvall, company="PostNord", external_id="PN-1001", name="Gammalt namn")
    before = _snapshot()
    with pytest.raises(imports.ImportBlocked):
        _apply(_csv([HEADER_SV, *ROWS_SV, "PostNord;ombud;Trasig;PN-9;;852 30;Sundsvall"]), sundsvall, anna_sundsvall)
    assert _snapshot() == before

    # A failure in the middle of saving rolls back what was already written (sites before contacts).
    real_bulk_create = imports.bulk_create_with_history

    def failing_for_contacts(objs, model, **kwargs):
        if model is Contact:
            raise RuntimeError("disk full")
        return real_bulk_create(objs, model, **kwargs)

    monkeypatch.setattr(imports, "bulk_create_with_history", failing_for_contacts)
    lines = [HEADER_SV + ";contact_name;contact_email", ROWS_SV[1] + ";Eva;eva@ombud.example"]
    with pytest.raises(RuntimeError):
        _apply(_csv(lines), sundsvall, anna_sundsvall)
    monkeypatch.undo()
    assert _snapshot() == before


# Views ------------------------------------------------------------------------------


def _upload(client, municipality, data, name="ombud.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("meetings:site_import"),
        {"municipality": municipality.pk, "file": SimpleUploadedFile(name, data, "text/csv")},
    )


def test_upload_preview_and_confirm_without_javascript(client, sundsvall, anna_sundsvall):
    client.force_login(anna_sundsvall)
    response = _upload(client, sundsvall, _csv([HEADER_SV, *ROWS_SV]))
    assert response.status_code == 302 and response.url == reverse("meetings:site_import_preview")
    page = client.get(response.url).content.decode()
    assert "ICA Kvantum Birsta" in page and "Bekräfta och spara" in page
    assert Site.objects.count() == 0, "nothing is saved before the confirmation"
    response = client.post(reverse("meetings:site_import_preview"), {"confirm": "1"})
    assert response.status_code == 302
    assert Site.objects.count() == 3
    # The stored upload is gone after applying.
    assert client.get(reverse("meetings:site_import_preview")).status_code == 302


def test_a_preview_with_errors_cannot_be_applied(client, sundsvall, anna_sundsvall):
    client.force_login(anna_sundsvall)
    _upload(client, sundsvall, _csv([HEADER_SV, ROWS_SV[0], "PostNord;ombud;X;PN-9;Gatan 1;;Sundsvall"]))
    page = client.get(reverse("meetings:site_import_preview")).content.decode()
    assert "Rad 3: postnumret saknas." in page and "Bekräfta och spara" not in page
    client.post(reverse("meetings:site_import_preview"), {"confirm": "1"})
    assert Site.objects.count() == 0


def test_a_binary_upload_shows_the_message_on_the_form(client, sundsvall, anna_sundsvall):
    client.force_login(anna_sundsvall)
    response = _upload(client, sundsvall, b"\x89PNG\r\n\x1a\n\x00\x00\x00", name="bild.png")
    assert response.status_code == 200
    assert "Filen är inte en textfil" in response.content.decode()


def test_the_municipality_must_be_one_the_user_may_see(client, harnosand, anna_sundsvall):
    client.force_login(anna_sundsvall)
    response = _upload(client, harnosand, _csv([HEADER_SV, *ROWS_SV]))
    assert response.status_code == 200
    assert Site.objects.count() == 0


def test_an_instructor_cannot_import(client, sundsvall, per_police):
    client.force_login(per_police)
    assert client.get(reverse("meetings:site_import")).status_code == 403


def test_rows_go_to_the_municipality_named_by_code_or_name(karin_county, sundsvall, harnosand):
    lines = [
        "företag;namn;adress;postnummer;ort;kommun",
        "PostNord;A;Gatan 1;871 30;Härnösand;2280",
        "PostNord;B;Gatan 2;871 30;Härnösand;härnösand",
        "PostNord;C;Gatan 3;852 30;Sundsvall;",
    ]
    _apply(_csv(lines), sundsvall, karin_county)
    assert dict(Site.objects.values_list("name", "municipality__code")) == {"A": "2280", "B": "2280", "C": "2281"}
