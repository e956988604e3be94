import pytest
from django.urls import reverse
from django.utils import timezone

from decals.models import DecalIssue
from meetings.models import Contact, Registration, Site
from tif_portal.testing.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(meeting_sundsvall, make_contact, site_sundsvall):
    return [Registration.objects.create(meeting=meeting_sundsvall, contact=make_contact(site_sundsvall)) for _ in range(3)]


def test_the_attendance_list_ticks_who_came_in_one_submit(client, anna_sundsvall, meeting_sundsvall, registrations):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:attendance", args=[meeting_sundsvall.pk])
    page = client.get(url).content.decode()
    assert page.count('name="present"') == 3
    client.post(url, {"present": [registrations[0].pk, registrations[2].pk]})
    assert {r.pk for r in Registration.objects.filter(checked_in_at__isnull=False)} == {registrations[0].pk, registrations[2].pk}
    first_time = Registration.objects.get(pk=registrations[0].pk).checked_in_at
    client.post(url, {"present": [registrations[0].pk]})
    assert list(Registration.objects.filter(checked_in_at__isnull=False)) == [Registration.objects.get(pk=registrations[0].pk)]
    assert Registration.objects.get(pk=registrations[0].pk).checked_in_at == first_time


def test_ticking_another_meetings_registration_changes_nothing(client, anna_sundsvall, meeting_sundsvall, meeting_harnosand, contact_harnosand):
    foreign = Registration.objects.create(meeting=meeting_harnosand, contact=contact_harnosand)
    client.force_login(anna_sundsvall)
    client.post(reverse("meetings:attendance", args=[meeting_sundsvall.pk]), {"present": [foreign.pk]})
    foreign.refresh_from_db()
    assert foreign.checked_in_at is None


def test_a_walk_in_at_a_known_workplace_is_added_as_present(client, anna_sundsvall, meeting_sundsvall, site_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:walk_in_add", args=[meeting_sundsvall.pk]),
                           {"walkin-name": "Olle Oanmäld", "walkin-email": "olle@ombud.example", "walkin-site": site_sundsvall.pk})
    assert response.status_code == 302
    registration = Registration.objects.get(contact__email="olle@ombud.example")
    assert registration.status == Registration.Status.WALK_IN and registration.checked_in_at
    assert registration.contact.site == site_sundsvall


def test_a_walk_in_from_a_new_workplace_creates_the_workplace_in_the_municipality(client, anna_sundsvall, meeting_sundsvall, sundsvall):
    client.force_login(anna_sundsvall)
    client.post(reverse("meetings:walk_in_add", args=[meeting_sundsvall.pk]), {
        "walkin-name": "Pia Ny", "walkin-email": "pia@nytt.example", "walkin-site": "", "walkin-new_site_name": "Nya ombudet",
        "walkin-new_site_company": "Budbee", "walkin-new_site_kind": "agent", "walkin-new_site_street": "Nygatan 1", "walkin-new_site_postal_code": "852 31",
    })
    site = Site.objects.get(name="Nya ombudet")
    assert site.municipality == sundsvall
    assert Contact.objects.get(email="pia@nytt.example").site == site


def test_a_walk_in_without_a_workplace_is_told_what_to_fill_in(client, anna_sundsvall, meeting_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:walk_in_add", args=[meeting_sundsvall.pk]), {"walkin-name": "X", "walkin-email": "x@o.example"})
    assert response.status_code == 400 and "Välj en arbetsplats eller fyll i den nya" in response.content.decode()


def test_a_walk_in_cannot_pick_another_municipalitys_workplace(client, anna_sundsvall, meeting_sundsvall, site_harnosand):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:walk_in_add", args=[meeting_sundsvall.pk]),
                           {"walkin-name": "X", "walkin-email": "x@o.example", "walkin-site": site_harnosand.pk})
    assert response.status_code == 400 and not Registration.objects.exists()


@pytest.fixture
def stock(vasternorrland, karin_county):
    from decals import services

    services.stock_receive(county=vasternorrland, size="A5", quantity=20, by=karin_county)
    services.stock_receive(county=vasternorrland, size="A4", quantity=5, by=karin_county)
    return vasternorrland


def _stock(county, size):
    from decals.models import DecalStock

    return DecalStock.objects.get(county=county, size=size).quantity


def test_decals_handed_out_a_second_time_are_added_and_drawn_from_the_stock_of_their_size(
    client, anna_sundsvall, meeting_sundsvall, site_sundsvall, stock
):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:decal_issue", args=[meeting_sundsvall.pk])
    client.post(url, {"decal-site": site_sundsvall.pk, "decal-size": "A5", "decal-quantity": 2})
    client.post(url, {"decal-site": site_sundsvall.pk, "decal-size": "A5", "decal-quantity": 3})
    client.post(url, {"decal-site": site_sundsvall.pk, "decal-size": "A4", "decal-quantity": 1})
    assert sorted(DecalIssue.objects.values_list("size", "quantity")) == [("A4", 1), ("A5", 2), ("A5", 3)]
    assert (_stock(stock, "A5"), _stock(stock, "A4")) == (15, 4)
    page = client.get(meeting_sundsvall.get_absolute_url()).content.decode()
    assert "6 (A4: 1, A5: 5)" in page, "the meeting page shows the total"
    attendance = client.get(reverse("meetings:attendance", args=[meeting_sundsvall.pk])).content.decode()
    assert "6 dekaler utdelade på mötet (A4: 1, A5: 5)" in attendance


def test_a_wrong_entry_is_corrected_or_removed_and_the_stock_follows(
    client, anna_sundsvall, meeting_sundsvall, site_sundsvall, stock
):
    from decals.models import DecalStockMovement

    client.force_login(anna_sundsvall)
    client.post(reverse("meetings:decal_issue", args=[meeting_sundsvall.pk]),
                {"decal-site": site_sundsvall.pk, "decal-size": "A5", "decal-quantity": 12})
    issue = DecalIssue.objects.get()
    attendance = client.get(reverse("meetings:attendance", args=[meeting_sundsvall.pk])).content.decode()
    assert reverse("decals:issue_update", args=[issue.pk]) in attendance
    assert reverse("decals:issue_delete", args=[issue.pk]) in attendance

    client.post(reverse("decals:issue_update", args=[issue.pk]), {"size": "A4", "quantity": 2})
    issue.refresh_from_db()
    assert (issue.size, issue.quantity) == ("A4", 2)
    assert (_stock(stock, "A5"), _stock(stock, "A4")) == (20, 3)

    page = client.get(reverse("decals:issue_delete", args=[issue.pk])).content.decode()
    assert "Ta bort dekalerna till ICA Nära Sundsvall?" in page and DecalIssue.objects.exists()
    client.post(reverse("decals:issue_delete", args=[issue.pk]))
    assert not DecalIssue.objects.exists()
    assert (_stock(stock, "A5"), _stock(stock, "A4")) == (20, 5)
    assert DecalIssue.history.filter(history_type="-").count() == 1, "the history keeps the removed entry"
    assert DecalStockMovement.objects.filter(kind="issue_corrected").count() == 3


def test_handing_out_more_than_the_stock_of_a_size_holds_is_refused_and_saves_nothing(
    client, anna_sundsvall, meeting_sundsvall, site_sundsvall, stock
):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:decal_issue", args=[meeting_sundsvall.pk]),
                           {"decal-site": site_sundsvall.pk, "decal-size": "A4", "decal-quantity": 6})
    assert response.status_code == 400
    assert "Länets lager har 5 dekaler i A4, men 6 behövs" in response.content.decode()
    assert not DecalIssue.objects.exists() and _stock(stock, "A4") == 5


def test_the_attendance_page_keeps_its_query_count_as_decals_are_handed_out(
    client, anna_sundsvall, meeting_sundsvall, make_site, sundsvall, stock
):
    from decals import services

    def hand_out(first, last):
        for n in range(first, last):
            services.decal_issue_add(meeting=meeting_sundsvall, site=make_site(sundsvall, name=f"Ombud {n:02d}"),
                                     size="A5", quantity=1, recorded_by=anna_sundsvall)

    hand_out(0, 2)
    client.force_login(anna_sundsvall)
    assert_queries_do_not_grow(
        client, reverse("meetings:attendance", args=[meeting_sundsvall.pk]), grow=lambda: hand_out(2, 15), budget=22,
        shows=["Ombud 01"], shows_after_growth=["Ombud 14", "15 dekaler utdelade"],
    )


def test_another_municipality_cannot_change_the_entry(client, bo_harnosand, decal_issue_harnosand, per_police, group_harnosand):
    from municipalities.models import Membership

    Membership.objects.create(working_group=group_harnosand, user=per_police, role=Membership.Role.POLICE)
    client.force_login(per_police)
    assert client.get(reverse("decals:issue_update", args=[decal_issue_harnosand.pk])).status_code == 403


def test_a_decal_quantity_out_of_range_is_explained(client, anna_sundsvall, meeting_sundsvall, site_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:decal_issue", args=[meeting_sundsvall.pk]), {"decal-site": site_sundsvall.pk, "decal-quantity": 0})
    assert "Ange ett antal mellan 1 och 50" in response.content.decode()


def test_an_instructor_cannot_take_attendance(client, per_police, meeting_sundsvall):
    client.force_login(per_police)
    assert client.get(reverse("meetings:attendance", args=[meeting_sundsvall.pk])).status_code == 403


def test_the_attendance_page_keeps_its_query_count(client, anna_sundsvall, meeting_sundsvall, make_contact, make_site, sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:attendance", args=[meeting_sundsvall.pk])

    def register(names):
        for name in names:
            site = make_site(sundsvall)
            Registration.objects.create(meeting=meeting_sundsvall, contact=make_contact(site, name=name), checked_in_at=timezone.now())

    register(["Deltagare 1", "Deltagare 2", "Deltagare 3"])
    assert_queries_do_not_grow(
        client, url, grow=lambda: register([f"Deltagare {n}" for n in range(4, 34)]), budget=20,
        shows=["Deltagare 3"], shows_after_growth=["Deltagare 3", "Deltagare 33"],
    )


def test_the_coordinator_exports_the_participants_as_csv_for_excel(
    client, anna_sundsvall, meeting_sundsvall, site_sundsvall, make_contact, bo_harnosand
):
    import csv
    import io

    from meetings.models import WaitingListEntry

    came = make_contact(site_sundsvall, name="Åsa Öberg", email="asa@ombud.example", phone="070-1")
    Registration.objects.create(meeting=meeting_sundsvall, contact=came, dietary_needs="Vegetarisk", checked_in_at=timezone.now())
    gone = make_contact(site_sundsvall, name="Avbokad Person")
    Registration.objects.create(meeting=meeting_sundsvall, contact=gone, status=Registration.Status.CANCELLED)
    tricky = make_contact(site_sundsvall, name="=HYPERLINK(1)", email="x@ombud.example")
    WaitingListEntry.objects.create(meeting=meeting_sundsvall, contact=tricky)
    client.force_login(anna_sundsvall)
    response = client.get(reverse("meetings:attendee_export", args=[meeting_sundsvall.pk]))
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Namn", "E-post", "Telefon"]
    assert rows[1][:7] == ["Åsa Öberg", "asa@ombud.example", "070-1", "ICA Nära Sundsvall", "PostNord", "Anmäld", "Vegetarisk"]
    assert rows[1][7], "the time of arrival"
    assert rows[2][0] == "'=HYPERLINK(1)" and rows[2][5] == "På väntelistan, plats 1"
    assert len(rows) == 3, "cancelled registrations are left out"
    client.force_login(bo_harnosand)
    assert client.get(reverse("meetings:attendee_export", args=[meeting_sundsvall.pk])).status_code == 404
