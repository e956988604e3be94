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
    assert page.count('type="checkbox"') == 3
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


def test_decals_are_recorded_once_per_workplace(client, anna_sundsvall, meeting_sundsvall, site_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:decal_issue", args=[meeting_sundsvall.pk])
    client.post(url, {"decal-site": site_sundsvall.pk, "decal-quantity": 2})
    client.post(url, {"decal-site": site_sundsvall.pk, "decal-quantity": 3})
    issue = DecalIssue.objects.get()
    assert (issue.site, issue.quantity, issue.recorded_by) == (site_sundsvall, 3, anna_sundsvall)
    assert "ICA Nära Sundsvall" in client.get(reverse("meetings:attendance", args=[meeting_sundsvall.pk])).content.decode()


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
