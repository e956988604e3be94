"""Sites and contacts: the list with filters, detail, create and edit, scoped to the user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Contact, Site


def test_the_site_list_shows_only_the_users_municipality(client, anna_sundsvall, site_sundsvall, site_harnosand):
    client.force_login(anna_sundsvall)
    page = client.get(reverse("meetings:site_list")).content.decode()
    assert "ICA Nära Sundsvall" in page and "Coop Härnösand" not in page


def test_the_county_officer_sees_every_site_in_the_county(client, karin_county, site_sundsvall, site_harnosand):
    client.force_login(karin_county)
    page = client.get(reverse("meetings:site_list")).content.decode()
    assert "ICA Nära Sundsvall" in page and "Coop Härnösand" in page


def test_the_site_list_filters_by_company_kind_municipality_and_text(
    client, karin_county, make_site, sundsvall, harnosand
):
    make_site(sundsvall, company="DHL", name="DHL Birsta", kind=Site.Kind.AGENT)
    make_site(sundsvall, company="PostNord", name="Terminal Sundsvall", kind=Site.Kind.TERMINAL)
    make_site(harnosand, company="PostNord", name="Ombud Härnösand Centrum", city="Härnösand")
    client.force_login(karin_county)
    url = reverse("meetings:site_list")

    def names(**params):
        page = client.get(url, params)
        return [site.name for site in page.context["page"]]

    assert names(company="DHL") == ["DHL Birsta"]
    assert names(kind="terminal") == ["Terminal Sundsvall"]
    assert names(municipality=harnosand.pk) == ["Ombud Härnösand Centrum"]
    assert names(q="centrum") == ["Ombud Härnösand Centrum"]


def test_the_site_list_is_paginated(client, anna_sundsvall, sundsvall):
    Site.objects.bulk_create(
        Site(
            municipality=sundsvall,
            company="PostNord",
            name=f"Ombud {n:03}",
            street=f"Gatan {n}",
            postal_code="852 30",
            city="Sundsvall",
        )
        for n in range(60)
    )
    client.force_login(anna_sundsvall)
    first = client.get(reverse("meetings:site_list"))
    assert len(first.context["page"]) == 50
    second = client.get(reverse("meetings:site_list"), {"page": 2})
    assert len(second.context["page"]) == 10


def test_a_coordinator_creates_and_edits_a_site(client, anna_sundsvall, sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(
        reverse("meetings:site_create"),
        {
            "municipality": sundsvall.pk,
            "kind": "agent",
            "company": "Budbee",
            "name": "Budbee-box Nacksta",
            "external_id": "BB-1",
            "street": "Nackstavägen 2",
            "postal_code": "85652",
            "city": "Sundsvall",
        },
    )
    site = Site.objects.get(external_id="BB-1")
    assert response.status_code == 302 and site.postal_code == "856 52"
    response = client.post(
        reverse("meetings:site_update", args=[site.pk]),
        {
            "municipality": sundsvall.pk,
            "kind": "agent",
            "company": "Budbee",
            "name": "Budbee Nacksta",
            "external_id": "BB-1",
            "street": "Nackstavägen 2",
            "postal_code": "856 52",
            "city": "Sundsvall",
        },
    )
    site.refresh_from_db()
    assert site.name == "Budbee Nacksta"
    assert site.history.count() == 2


def test_a_site_cannot_be_put_in_another_municipality(client, anna_sundsvall, harnosand):
    client.force_login(anna_sundsvall)
    response = client.post(
        reverse("meetings:site_create"),
        {
            "municipality": harnosand.pk,
            "kind": "agent",
            "company": "DHL",
            "name": "X",
            "street": "Gatan 1",
            "postal_code": "871 30",
            "city": "Härnösand",
        },
    )
    assert response.status_code == 200 and not Site.objects.exists()


def test_a_bad_postal_code_is_explained(client, anna_sundsvall, sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(
        reverse("meetings:site_create"),
        {
            "municipality": sundsvall.pk,
            "kind": "agent",
            "company": "DHL",
            "name": "X",
            "street": "Gatan 1",
            "postal_code": "12",
            "city": "Sundsvall",
        },
    )
    assert "Ange ett postnummer med fem siffror" in response.content.decode()


def test_a_contact_is_added_with_a_language_and_edited(client, anna_sundsvall, site_sundsvall):
    client.force_login(anna_sundsvall)
    client.post(
        reverse("meetings:contact_create", args=[site_sundsvall.pk]),
        {"name": "John Smith", "email": "John@Ombud.example", "phone": "", "language": "en"},
    )
    contact = Contact.objects.get()
    assert (contact.site, contact.email, contact.language) == (site_sundsvall, "john@ombud.example", "en")
    page = client.get(site_sundsvall.get_absolute_url()).content.decode()
    assert "John Smith" in page and "English" in page
    client.post(
        reverse("meetings:contact_update", args=[contact.pk]),
        {"name": "John Smith", "email": "john@ombud.example", "phone": "070-1", "language": "sv"},
    )
    contact.refresh_from_db()
    assert (contact.phone, contact.language) == ("070-1", "sv")
    assert client.get(contact.get_absolute_url()).status_code == 200


def test_the_same_address_twice_at_a_site_is_refused(client, anna_sundsvall, contact_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(
        reverse("meetings:contact_create", args=[contact_sundsvall.site_id]),
        {"name": "Sara igen", "email": "SARA@ombud.example", "language": "sv"},
    )
    assert "Det finns redan en kontaktperson" in response.content.decode()
    assert Contact.objects.count() == 1


def test_an_instructor_may_not_manage_sites(client, per_police, site_sundsvall):
    client.force_login(per_police)
    assert client.get(reverse("meetings:site_list")).status_code == 403
    assert client.get(site_sundsvall.get_absolute_url()).status_code == 403


def _grow_sites(municipality, n):
    sites = Site.objects.bulk_create(
        Site(
            municipality=municipality,
            company=["PostNord", "DHL", "Bring"][i % 3],
            name=f"Ombud {i:04}",
            street=f"Gatan {i}",
            postal_code="852 30",
            city="Sundsvall",
            external_id=f"G-{municipality.code}-{n}-{i}",
        )
        for i in range(n)
    )
    Contact.objects.bulk_create(
        Contact(site=site, name=f"Kontakt {site.pk}-{j}", email=f"k{site.pk}-{j}@ombud.example")
        for site in sites
        for j in range(2)
    )


def test_the_site_list_keeps_a_fixed_number_of_queries_as_data_grows_tenfold(
    client, anna_sundsvall, sundsvall, django_assert_max_num_queries
):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:site_list")
    _grow_sites(sundsvall, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_sites(sundsvall, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"q": "Ombud"})
    assert len(response.context["page"]) == 50
    assert len(small.captured_queries) <= 12


@pytest.mark.parametrize("url_name", ["meetings:site_list", "meetings:site_create", "meetings:site_import"])
def test_pages_open_for_coordinators(client, anna_sundsvall, url_name):
    client.force_login(anna_sundsvall)
    assert client.get(reverse(url_name)).status_code == 200


def test_a_companys_id_can_be_used_only_once(client, anna_sundsvall, sundsvall, site_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(
        reverse("meetings:site_create"),
        {
            "municipality": sundsvall.pk,
            "kind": "agent",
            "company": site_sundsvall.company,
            "name": "Kopia",
            "external_id": site_sundsvall.external_id,
            "street": "Gatan 9",
            "postal_code": "852 30",
            "city": "Sundsvall",
        },
    )
    assert "Företaget har redan en arbetsplats med det id:t." in response.content.decode()
    assert Site.objects.count() == 1
