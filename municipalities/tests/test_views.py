import pytest
from django.urls import reverse

from municipalities.models import Membership, WorkingGroup
from tif_portal.models import OutboundEmail
from tif_portal.testing.queries import assert_queries_do_not_grow


def test_county_officer_creates_a_working_group_in_their_county(client, karin_county, sundsvall):
    client.force_login(karin_county)
    response = client.post(
        reverse("municipalities:group_create"),
        {"municipality": sundsvall.pk, "name": "TIF Sundsvall", "follow_up_months": 12},
    )
    group = WorkingGroup.objects.get(name="TIF Sundsvall")
    assert response.url == group.get_absolute_url()


def test_county_officer_cannot_create_a_group_in_another_county(client, ulla_uppsala_county, sundsvall):
    client.force_login(ulla_uppsala_county)
    response = client.post(reverse("municipalities:group_create"), {"municipality": sundsvall.pk, "name": "X", "follow_up_months": 12})
    assert response.status_code == 200 and not WorkingGroup.objects.exists()


def test_coordinator_adds_a_new_police_member_who_gets_a_set_password_mail(client, anna_sundsvall, group_sundsvall):
    client.force_login(anna_sundsvall)
    client.post(
        reverse("municipalities:member_add", args=[group_sundsvall.pk]),
        {"email": "Lisa@Polisen.example", "name": "Lisa Polis", "role": "police", "account_role": "instructor"},
    )
    membership = Membership.objects.get(user__email="lisa@polisen.example")
    assert membership.user.is_instructor and membership.user.agency == "police"
    assert OutboundEmail.objects.filter(to="lisa@polisen.example").exists()


@pytest.mark.parametrize("seat", ["other", "county", "municipality", "coordinator", "police"])
def test_a_seat_in_the_group_grants_no_account_role(client, anna_sundsvall, group_sundsvall, contact_sundsvall, seat):
    """A logistics company's regional manager seated as "Övrig" must not be able to open contacts."""
    client.force_login(anna_sundsvall)
    client.post(reverse("municipalities:member_add", args=[group_sundsvall.pk]),
                {"email": "chef@logistik.example", "name": "Regionchef", "role": seat})
    manager = Membership.objects.get(user__email="chef@logistik.example").user
    assert manager.role == "member" and not manager.is_coordinator and not manager.is_instructor
    client.force_login(manager)
    assert client.get(reverse("meetings:site_list")).status_code == 403
    assert client.get(reverse("meetings:contact_detail", args=[contact_sundsvall.pk])).status_code == 404
    assert client.get(group_sundsvall.get_absolute_url()).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_seating_someone_who_has_an_account_leaves_their_role_as_it_is(client, anna_sundsvall, group_harnosand, karin_county, per_police):
    client.force_login(karin_county)
    client.post(reverse("municipalities:member_add", args=[group_harnosand.pk]),
                {"email": per_police.email, "name": per_police.name, "role": "coordinator", "account_role": "coordinator"})
    per_police.refresh_from_db()
    assert per_police.is_instructor


def test_follow_up_months_out_of_range_gives_a_clear_message(client, anna_sundsvall, group_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("municipalities:group_update", args=[group_sundsvall.pk]), {"name": "X", "follow_up_months": 99})
    assert "Ange mellan 1 och 36 månader" in response.content.decode()


def test_instructor_may_read_but_not_change_the_group(client, per_police, group_sundsvall):
    client.force_login(per_police)
    assert client.get(group_sundsvall.get_absolute_url()).status_code == 200
    assert client.get(reverse("municipalities:group_update", args=[group_sundsvall.pk])).status_code == 403


def test_member_removal(client, anna_sundsvall, per_police, group_sundsvall):
    client.force_login(anna_sundsvall)
    membership = per_police.memberships.get()
    client.post(reverse("municipalities:member_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_group_list_query_count_does_not_grow(client, karin_county, vasternorrland):
    municipalities = list(vasternorrland.municipalities.order_by("name"))
    WorkingGroup.objects.create(municipality=municipalities[0], name=f"TIF {municipalities[0].name}")

    def grow():
        for municipality in municipalities[1:]:
            WorkingGroup.objects.create(municipality=municipality, name=f"TIF {municipality.name}")

    client.force_login(karin_county)
    assert_queries_do_not_grow(
        client, reverse("municipalities:group_list"), grow=grow, budget=6,
        shows=[f"TIF {municipalities[0].name}"], shows_after_growth=[f"TIF {m.name}" for m in municipalities],
    )
