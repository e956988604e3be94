"""CSV import of sites: encodings, separators, bad rows, files that are not CSV, re-imports."""

import csv
import io

import pytest
from django.urls import reverse

from meetings.models import Contact, Site
from meetings.services import sites_csv
from tif_portal.testing.concurrency import at_once, both_reach

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
    return sites_csv.plan(sites_csv.read_rows(data), municipality=municipality, user=user)


def _apply(data, municipality, user, **options):
    return sites_csv.import_apply(sites_csv.read_rows(data), municipality=municipality, user=user, **options).counts


def _snapshot():
    sites = list(
        Site.objects.order_by("pk").values_list("company", "external_id", "name", "street", "postal_code", "city")
    )
    contacts = list(Contact.objects.order_by("pk").values_list("site_id", "name", "email", "phone"))
    return sites, contacts


def test_utf8_with_bom_and_semicolons_creates_every_site(sundsvall, anna_sundsvall):
    counts = _apply(_csv([HEADER_SV, *ROWS_SV], bom=True), sundsvall, anna_sundsvall)
    assert counts == {"create": 3, "update": 0, "unchanged": 0, "duplicate": 0, "error": 0}
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
    with pytest.raises(sites_csv.ImportFileError, match="inte en textfil"):
        sites_csv.read_rows(b"%PDF-1.7\x00\x01\x02binary")
    with pytest.raises(sites_csv.ImportFileError, match="saknar kolumnerna"):
        sites_csv.read_rows(_csv(["artikel;pris", "Dekal;10"]))


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


def _fail_when_saving_contacts(monkeypatch):
    """Saving stops half-way: the sites are written, then the contacts fail."""
    real_bulk_create = sites_csv.bulk_create_with_history

    def failing_for_contacts(objs, model, **kwargs):
        if model is Contact:
            raise RuntimeError("disk full")
        return real_bulk_create(objs, model, **kwargs)

    monkeypatch.setattr(sites_csv, "bulk_create_with_history", failing_for_contacts)


def test_a_failure_leaves_the_database_as_it_was(sundsvall, anna_sundsvall, make_site, monkeypatch):
    make_site(sundsvall, company="PostNord", external_id="PN-1001", name="Gammalt namn")
    before = _snapshot()
    with pytest.raises(sites_csv.ImportBlocked):
        _apply(_csv([HEADER_SV, *ROWS_SV, "PostNord;ombud;Trasig;PN-9;;852 30;Sundsvall"]), sundsvall, anna_sundsvall)
    assert _snapshot() == before

    # A failure in the middle of saving rolls back what was already written (sites before contacts).
    _fail_when_saving_contacts(monkeypatch)
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


# Partial imports, repeated rows, contacts, kinds ------------------------------------------

BAD_ROWS = [
    "PostNord;ombud;Utan postnummer;PN-9;Gatan 1;;Sundsvall",
    "PostNord;flygplats;Okänd typ;PN-10;Gatan 2;852 30;Sundsvall",
]


def test_the_valid_rows_can_be_imported_and_the_rejected_ones_downloaded_with_the_reason(
    client, sundsvall, anna_sundsvall
):
    client.force_login(anna_sundsvall)
    _upload(client, sundsvall, _csv([HEADER_SV, *ROWS_SV, *BAD_ROWS]))
    page = client.get(reverse("meetings:site_import_preview")).content.decode()
    assert "Spara de 3 giltiga raderna" in page and reverse("meetings:site_import_rejected") in page

    response = client.post(reverse("meetings:site_import_preview"), {"confirm_valid": "1"})
    assert response.url == reverse("meetings:site_import")
    assert sorted(Site.objects.values_list("external_id", flat=True)) == ["DHL-77", "PN-1001", "SC-3"]
    upload_page = client.get(response.url).content.decode()
    assert "2 rader i ombud.csv hade fel och sparades inte" in upload_page

    download = client.get(reverse("meetings:site_import_rejected"))
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [*HEADER_SV.split(";"), "orsak"]
    assert [row[:-1] for row in rows[1:]] == [line.split(";") for line in BAD_ROWS]
    assert rows[1][-1] == "Rad 5: postnumret saknas. (Row 5: the postal code is missing.)"
    assert "typen ”flygplats” är okänd" in rows[2][-1]

    # Corrected, the rejected file imports as it is: the reason column is ignored.
    fixed = download.content.decode("utf-8-sig").replace(";;Sundsvall", ";852 30;Sundsvall").replace("flygplats", "ombud")
    _upload(client, sundsvall, fixed.encode("utf-8"))
    client.post(reverse("meetings:site_import_preview"), {"confirm": "1"})
    assert Site.objects.count() == 5


def test_an_exact_duplicate_row_is_skipped_and_said_so(sundsvall, anna_sundsvall):
    plan = _plan(_csv([HEADER_SV, *ROWS_SV, ROWS_SV[1]]), sundsvall, anna_sundsvall)
    assert [row.action for row in plan.rows] == ["create", "create", "create", "duplicate"]
    assert plan.rows[3].message == "Rad 5: samma arbetsplats som rad 3; raden hoppas över."
    assert not plan.has_errors
    assert _apply(_csv([HEADER_SV, *ROWS_SV, ROWS_SV[1]]), sundsvall, anna_sundsvall)["duplicate"] == 1
    assert Site.objects.count() == 3


def test_a_site_listed_twice_with_two_contacts_gets_both(sundsvall, anna_sundsvall):
    header = HEADER_SV + ";contact_name;contact_email"
    lines = [header, ROWS_SV[0] + ";Eva Ek;eva@ica.example", ROWS_SV[0] + ";Åke Ås;ake@ica.example"]
    plan = _plan(_csv(lines), sundsvall, anna_sundsvall)
    assert [(row.action, row.contact_action) for row in plan.rows] == [("create", "create"), ("duplicate", "create")]
    assert "bara kontaktpersonen" in plan.rows[1].message
    _apply(_csv(lines), sundsvall, anna_sundsvall)
    site = Site.objects.get()
    assert sorted(site.contacts.values_list("email", flat=True)) == ["ake@ica.example", "eva@ica.example"]


def test_a_missing_contact_email_is_called_missing_and_a_phone_alone_is_not_dropped(sundsvall, anna_sundsvall):
    lines = [
        HEADER_SV + ";contact_name;contact_email;contact_phone",
        ROWS_SV[0] + ";Eva Ek;;",
        ROWS_SV[1] + ";;;070-123 45 67",
        ROWS_SV[2] + ";Åke;inte-en-adress;",
    ]
    plan = _plan(_csv(lines), sundsvall, anna_sundsvall)
    assert [row.action for row in plan.rows] == ["error", "error", "error"]
    assert "e-postadress saknas" in plan.rows[0].message and "ogiltig" not in plan.rows[0].message
    assert "e-postadress saknas" in plan.rows[1].message
    assert "ogiltig" in plan.rows[2].message


def test_parcel_lockers_as_instabox_and_budbee_list_them_are_imported(sundsvall, anna_sundsvall):
    lines = [
        HEADER_SV,
        "Instabox;Paketbox;Instabox ICA Birsta;IB-1;Birstavägen 5;856 50;Sundsvall",
        "Budbee;paketbox;Budbee Box Centrum;BB-1;Storgatan 10;852 30;Sundsvall",
    ]
    assert _apply(_csv(lines), sundsvall, anna_sundsvall)["create"] == 2
    assert set(Site.objects.values_list("kind", flat=True)) == {Site.Kind.PARCEL_LOCKER}


def test_the_preview_shows_each_changed_field_with_its_old_and_new_value(client, sundsvall, anna_sundsvall, make_site):
    site = make_site(sundsvall, company="PostNord", external_id="PN-1001", name="Gammalt namn",
                     street="Birstavägen 5", postal_code="856 50", city="Sundsvall")
    site.contacts.create(name="Eva Gammal", email="eva@ica.example", phone="060-1")
    client.force_login(anna_sundsvall)
    _upload(client, sundsvall, _csv([HEADER_SV + ";contact_name;contact_email", ROWS_SV[0] + ";Eva Ny;eva@ica.example"]))
    page = client.get(reverse("meetings:site_import_preview")).content.decode()
    assert "Namn: <del>Gammalt namn</del> → <ins>ICA Kvantum Birsta</ins>" in page
    assert "Kontaktpersonens namn: <del>Eva Gammal</del> → <ins>Eva Ny</ins>" in page


def test_an_import_failing_half_way_with_skipped_errors_leaves_the_database_as_it_was(
    sundsvall, anna_sundsvall, monkeypatch
):
    _fail_when_saving_contacts(monkeypatch)
    lines = [HEADER_SV + ";contact_name;contact_email", ROWS_SV[1] + ";Eva;eva@ombud.example", BAD_ROWS[0] + ";;"]
    with pytest.raises(RuntimeError):
        _apply(_csv(lines), sundsvall, anna_sundsvall, skip_errors=True)
    assert not Site.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_ids", [False, True], ids=["by-address", "with-id-column"])
def test_two_coordinators_confirming_the_same_preview_at_once_create_each_site_once(
    sundsvall, anna_sundsvall, karin_county, monkeypatch, with_ids
):
    """Real PostgreSQL, two connections. Each confirmation waits after planning until the other
    has planned too (or two seconds have passed): without the lock both would plan 200 new sites
    and both would create them (or, with an id column, the second would hit the unique constraint)."""
    header = "företag;typ;namn;id;adress;postnummer;ort" if with_ids else "företag;typ;namn;adress;postnummer;ort"
    lines = [header] + [
        f"PostNord;ombud;Ombud {n};PN-{n};Gatan {n};852 30;Sundsvall" if with_ids
        else f"PostNord;ombud;Ombud {n};Gatan {n};852 30;Sundsvall"
        for n in range(200)
    ]
    rows = sites_csv.read_rows(_csv(lines))
    reach = both_reach()
    real_plan = sites_csv.plan

    def plan_then_wait(*args, **kwargs):
        result = real_plan(*args, **kwargs)
        reach()
        return result

    monkeypatch.setattr(sites_csv, "plan", plan_then_wait)
    outcomes = at_once(
        *(lambda user=user: sites_csv.import_apply(rows, municipality=sundsvall, user=user).counts
          for user in (anna_sundsvall, karin_county))
    )

    assert Site.objects.count() == 200
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert sorted(o["create"] for o in outcomes) == [0, 200], outcomes
    assert sorted(o["unchanged"] for o in outcomes) == [0, 200], outcomes


def test_a_conflict_outside_the_lock_gives_a_clear_message_not_a_server_error(
    client, sundsvall, harnosand, anna_sundsvall, make_site, monkeypatch
):
    client.force_login(anna_sundsvall)
    _upload(client, sundsvall, _csv([HEADER_SV, ROWS_SV[0]]))
    real_plan = sites_csv.plan

    def plan_then_a_site_elsewhere_takes_the_id(*args, **kwargs):
        result = real_plan(*args, **kwargs)
        make_site(harnosand, company="PostNord", external_id="PN-1001")  # saved meanwhile by someone else
        return result

    monkeypatch.setattr(sites_csv, "plan", plan_then_a_site_elsewhere_takes_the_id)
    response = client.post(reverse("meetings:site_import_preview"), {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert "Någon annan sparade samma arbetsplatser samtidigt" in response.content.decode()
    assert not Site.objects.filter(municipality=sundsvall).exists()
