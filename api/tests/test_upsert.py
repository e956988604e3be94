"""Sites and contacts written by the company's id: a batch is all or nothing, twice is once."""

import pytest
from django.urls import reverse

from api.models import ApiToken
from meetings.models import Contact, Site

pytestmark = pytest.mark.django_db
UPSERT = "/api/sites/upsert/"


def site_rows(n, *, municipality="2281"):
    return [
        {
            "company": "PostNord",
            "external_id": f"PN-{i:05d}",
            "kind": "ombud",
            "name": f"Ombud {i}",
            "street": f"Storgatan {i}",
            "postal_code": "85230",
            "city": "Sundsvall",
            "municipality_code": municipality,
            "contact_name": f"Åsa Öberg {i}",
            "contact_email": f"asa{i}@ombud.example",
        }
        for i in range(n)
    ]


def test_upserting_1000_sites_twice_changes_nothing_the_second_time(api_as, anna_sundsvall):
    api = api_as(anna_sundsvall)
    first = api.post(UPSERT, {"rows": site_rows(1000)})
    assert first.status_code == 200, first.content[:500]
    assert first.json()["counts"]["create"] == 1000
    assert Site.objects.filter(municipality__code="2281").count() == 1000
    assert Contact.objects.filter(site__municipality__code="2281").count() == 1000
    history = Site.history.count() + Contact.history.count()

    second = api.post(UPSERT, {"rows": site_rows(1000)}).json()
    assert second["saved"] is True
    assert second["counts"]["unchanged"] == 1000
    assert Site.history.count() + Contact.history.count() == history, "the second batch wrote nothing"
    first_ids = {row["site"] for row in first.json()["rows"]}
    assert {row["site"] for row in second["rows"]} == first_ids and None not in first_ids


def test_a_bad_row_gets_its_reason_and_nothing_of_the_batch_is_written(api_as, anna_sundsvall):
    rows = site_rows(50)
    rows[17]["postal_code"] = "852"
    rows[30]["external_id"] = ""
    response = api_as(anna_sundsvall).post(UPSERT, {"rows": rows})
    assert response.status_code == 422
    body = response.json()
    assert body["saved"] is False and body["counts"]["error"] == 2
    by_row = {row["row"]: row for row in body["rows"]}
    assert by_row[18]["result"] == "error" and "fem siffror" in " ".join(by_row[18]["messages"])
    assert by_row[31]["result"] == "error" and "external_id" in " ".join(by_row[31]["messages"])
    assert by_row[1]["result"] == "create"
    assert not Site.objects.filter(municipality__code="2281").exists()
    assert not Contact.objects.exists()


def test_a_change_updates_the_site_and_is_recorded_as_the_token_owners(api_as, anna_sundsvall, site_sundsvall):
    row = {
        "company": site_sundsvall.company, "external_id": site_sundsvall.external_id, "name": "ICA Nära Centrum",
        "street": site_sundsvall.street, "postal_code": site_sundsvall.postal_code, "city": site_sundsvall.city,
    }
    body = api_as(anna_sundsvall).post(UPSERT, {"rows": [row]}).json()
    assert body["rows"][0]["result"] == "update" and body["rows"][0]["changes"] == ["name"]
    latest = site_sundsvall.history.latest()
    assert latest.name == "ICA Nära Centrum" and latest.history_user == anna_sundsvall


def test_a_site_of_another_municipality_is_refused_as_in_the_import(api_as, anna_sundsvall, site_harnosand):
    row = {
        "company": site_harnosand.company, "external_id": site_harnosand.external_id, "name": "Kapad",
        "street": "Storgatan 1", "postal_code": "85230", "city": "Sundsvall",
    }
    body = api_as(anna_sundsvall).post(UPSERT, {"rows": [row]}).json()
    assert body["rows"][0]["result"] == "error" and "annan kommun" in body["rows"][0]["messages"][0]
    site_harnosand.refresh_from_db()
    assert site_harnosand.name == "Coop Härnösand"


def test_messages_follow_accept_language(api_as, anna_sundsvall):
    rows = site_rows(1)
    rows[0]["external_id"] = ""
    body = api_as(anna_sundsvall, language="en").post(UPSERT, {"rows": rows}).json()
    assert "Row 1" in body["rows"][0]["messages"][0]
    assert "Nothing was saved" in body["message"]


def test_batches_hold_at_most_1000_rows(api_as, anna_sundsvall):
    response = api_as(anna_sundsvall).post(UPSERT, {"rows": site_rows(1001)})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["rows"]
    assert not Site.objects.exists()


def test_a_read_token_and_a_reading_role_cannot_write(api_as, anna_sundsvall, per_police):
    assert api_as(anna_sundsvall, scope=ApiToken.Scope.READ).post(UPSERT, {"rows": site_rows(1)}).status_code == 403
    assert api_as(per_police).post(UPSERT, {"rows": site_rows(1)}).status_code == 403
    assert not Site.objects.exists()


def test_contacts_upsert_by_the_sites_id_and_email(api_as, anna_sundsvall, site_sundsvall, contact_sundsvall):
    api = api_as(anna_sundsvall)
    rows = [
        {"company": "PostNord", "external_id": site_sundsvall.external_id, "name": "Sara Östlund", "email": "sara@ombud.example", "phone": "060-123"},
        {"company": "PostNord", "external_id": site_sundsvall.external_id, "name": "Nils Ny", "email": "nils@ombud.example"},
    ]
    body = api.post(reverse("api:contact-upsert"), {"rows": rows}).json()
    assert [r["result"] for r in body["rows"]] == ["update", "create"]
    assert body["rows"][0]["contact_id"] == contact_sundsvall.pk and body["rows"][1]["contact_id"]
    contact_sundsvall.refresh_from_db()
    assert contact_sundsvall.phone == "060-123"
    again = api.post(reverse("api:contact-upsert"), {"rows": rows}).json()
    assert [r["result"] for r in again["rows"]] == ["unchanged", "unchanged"]


def test_contacts_of_an_unknown_site_save_nothing(api_as, anna_sundsvall, site_sundsvall, site_harnosand):
    rows = [
        {"company": "PostNord", "external_id": site_sundsvall.external_id, "name": "Nils Ny", "email": "nils@ombud.example"},
        {"company": "PostNord", "external_id": site_harnosand.external_id, "name": "Hemlig", "email": "h@ombud.example"},
    ]
    response = api_as(anna_sundsvall).post(reverse("api:contact-upsert"), {"rows": rows})
    assert response.status_code == 422
    assert response.json()["rows"][1]["result"] == "error"
    assert not Contact.objects.filter(email__in=["nils@ombud.example", "h@ombud.example"]).exists()
