import threading

import pytest
from django.db import connection
from django.utils import timezone

from decals import services
from decals.models import CountyDecalSettings, DecalIssue, DecalOrder, DecalStock, DecalStockMovement
from decals.selectors import decal_counts, site_eligibility
from tif_portal.models import OutboundEmail


def test_a_site_with_a_checked_in_participant_in_the_network_is_eligible(eligible_sundsvall):
    eligibility = site_eligibility(eligible_sundsvall.site)
    assert eligibility.eligible and eligibility.reasons == []
    assert eligibility.last_meeting is not None


def test_a_site_nobody_attended_from_is_told_to_go_to_a_meeting(contact_sundsvall):
    contact_sundsvall.in_network = True
    contact_sundsvall.save()
    eligibility = site_eligibility(contact_sundsvall.site)
    assert not eligibility.eligible
    assert len(eligibility.reasons) == 1 and "samverkansmöte" in str(eligibility.reasons[0])


def test_a_site_outside_the_network_is_told_to_join_it(contact_sundsvall, held_meeting_sundsvall, make_eligible):
    make_eligible(contact_sundsvall, held_meeting_sundsvall)
    contact_sundsvall.left_network_at = timezone.now()
    contact_sundsvall.save()
    eligibility = site_eligibility(contact_sundsvall.site)
    assert not eligibility.eligible and "nätverket" in str(eligibility.reasons[0])


def test_decals_handed_out_at_a_meeting_count_as_taking_part(contact_sundsvall, held_meeting_sundsvall):
    contact_sundsvall.in_network = True
    contact_sundsvall.save()
    DecalIssue.objects.create(meeting=held_meeting_sundsvall, site=contact_sundsvall.site, quantity=2)
    assert site_eligibility(contact_sundsvall.site).eligible


def test_a_meeting_older_than_the_countys_period_no_longer_counts(
    contact_sundsvall, make_meeting, group_sundsvall, make_eligible, vasternorrland
):
    old = make_meeting(group_sundsvall, days=-365 * 2 - 30, status="held")
    make_eligible(contact_sundsvall, old)
    assert site_eligibility(contact_sundsvall.site).eligible  # default three years
    CountyDecalSettings.objects.create(county=vasternorrland, eligibility_years=1)
    eligibility = site_eligibility(contact_sundsvall.site)
    assert not eligibility.eligible and eligibility.years == 1


def test_a_working_group_meeting_does_not_make_a_site_eligible(
    contact_sundsvall, make_meeting, group_sundsvall, make_eligible
):
    make_eligible(contact_sundsvall, make_meeting(group_sundsvall, days=-10, kind="working_group"))
    assert not site_eligibility(contact_sundsvall.site).eligible


def test_an_ineligible_site_cannot_order(contact_sundsvall, place_order):
    with pytest.raises(services.OrderError):
        place_order(contact_sundsvall)
    assert not DecalOrder.objects.exists()


def test_placing_an_order_records_history_and_mails_the_orderer(eligible_sundsvall, place_order):
    order = place_order(eligible_sundsvall, quantity=3)
    assert order.state == "placed"
    assert [(e.from_state, e.to_state, e.by_contact_id) for e in order.events.all()] == [
        ("", "placed", eligible_sundsvall.pk)
    ]
    mail = OutboundEmail.objects.get(key=f"decal-order:{order.pk}:placed")
    assert mail.to == eligible_sundsvall.email and mail.language == "sv"


def test_quantity_is_bounded_by_the_setting(eligible_sundsvall, place_order, settings):
    settings.DECAL_ORDER_MAX = 5
    with pytest.raises(services.OrderError, match="mellan 1 och 5"):
        place_order(eligible_sundsvall, quantity=6)


def test_approving_draws_from_the_countys_stock(eligible_sundsvall, place_order, stock_vasternorrland, karin_county):
    order = place_order(eligible_sundsvall, quantity=3)
    services.order_approve(order=order, by=karin_county)
    stock_vasternorrland.refresh_from_db()
    order.refresh_from_db()
    assert stock_vasternorrland.quantity == 97
    assert order.state == "approved" and order.approved_by == karin_county and order.approved_at
    movement = DecalStockMovement.objects.get(order=order)
    assert movement.change == -3 and movement.kind == "order_approved"
    assert OutboundEmail.objects.filter(key=f"decal-order:{order.pk}:approved").exists()


def test_an_order_larger_than_the_stock_is_not_approved_and_says_why(
    eligible_sundsvall, place_order, vasternorrland, karin_county
):
    DecalStock.objects.create(county=vasternorrland, quantity=2)
    order = place_order(eligible_sundsvall, quantity=3)
    with pytest.raises(services.OrderError, match="lagret har 2"):
        services.order_approve(order=order, by=karin_county)
    order.refresh_from_db()
    assert order.state == "placed"
    assert DecalStock.objects.get(county=vasternorrland).quantity == 2


def test_the_database_refuses_a_negative_stock(vasternorrland):
    from django.db import IntegrityError

    stock = DecalStock.objects.create(county=vasternorrland, quantity=1)
    stock.quantity = -1
    with pytest.raises(IntegrityError):
        stock.save()


def test_an_order_is_approved_once(eligible_sundsvall, place_order, stock_vasternorrland, karin_county):
    order = place_order(eligible_sundsvall, quantity=3)
    services.order_approve(order=order, by=karin_county)
    with pytest.raises(services.OrderError, match="redan godkänd"):
        services.order_approve(order=order, by=karin_county)
    assert DecalStock.objects.get().quantity == 97


def test_rejecting_needs_a_reason_and_keeps_it(eligible_sundsvall, place_order, karin_county):
    order = place_order(eligible_sundsvall)
    with pytest.raises(services.OrderError):
        services.order_reject(order=order, by=karin_county, reason="  ")
    services.order_reject(order=order, by=karin_county, reason="Ni fick dekaler förra veckan.")
    order.refresh_from_db()
    assert order.state == "rejected" and order.rejection_reason == "Ni fick dekaler förra veckan."
    assert order.events.last().note == "Ni fick dekaler förra veckan."


def test_shipping_follows_approval(eligible_sundsvall, place_order, stock_vasternorrland, karin_county):
    order = place_order(eligible_sundsvall)
    with pytest.raises(services.OrderError):
        services.order_ship(order=order, by=karin_county)
    services.order_approve(order=order, by=karin_county)
    services.order_ship(order=order, by=karin_county)
    order.refresh_from_db()
    assert order.state == "shipped" and order.shipped_by == karin_county
    assert [e.to_state for e in order.events.all()] == ["placed", "approved", "shipped"]
    assert set(OutboundEmail.objects.filter(purpose="decal_order").values_list("key", flat=True)) == {
        f"decal-order:{order.pk}:{state}" for state in ("placed", "approved", "shipped")
    }


def test_bulk_approval_approves_what_the_stock_covers_and_names_the_rest(
    eligible_sundsvall, place_order, vasternorrland, karin_county
):
    DecalStock.objects.create(county=vasternorrland, quantity=5)
    first, second = place_order(eligible_sundsvall, quantity=3), place_order(eligible_sundsvall, quantity=3)
    result = services.orders_handle(orders=[first, second], action="approve", by=karin_county)
    assert [o.pk for o in result.done] == [first.pk]
    assert result.failed[0][0] == second and str(second.pk) in result.failed[0][1]


def test_receiving_stock_adds_and_records_a_movement(vasternorrland, karin_county):
    services.stock_receive(county=vasternorrland, quantity=50, by=karin_county, note="Tryckeriet")
    services.stock_receive(county=vasternorrland, quantity=25, by=karin_county)
    assert DecalStock.objects.get(county=vasternorrland).quantity == 75
    assert DecalStockMovement.objects.filter(kind="received").count() == 2


def test_decal_counts_per_municipality_and_company_are_scoped(
    eligible_sundsvall,
    place_order,
    held_meeting_sundsvall,
    make_meeting,
    group_harnosand,
    site_harnosand,
    anna_sundsvall,
    karin_county,
    ulla_uppsala_county,
    stock_vasternorrland,
):
    DecalIssue.objects.create(meeting=held_meeting_sundsvall, site=eligible_sundsvall.site, quantity=2)
    DecalIssue.objects.create(meeting=make_meeting(group_harnosand, days=-5), site=site_harnosand, quantity=4)
    rejected = place_order(eligible_sundsvall, quantity=7)
    services.order_reject(order=rejected, by=karin_county, reason="Dubblett")
    shipped = place_order(eligible_sundsvall, quantity=3)
    services.order_approve(order=shipped, by=karin_county)
    services.order_ship(order=shipped, by=karin_county)

    county = decal_counts(karin_county)
    assert {r["name"]: (r["issued"], r["ordered"], r["shipped"]) for r in county["municipalities"]} == {
        "Sundsvall": (2, 3, 3),
        "Härnösand": (4, 0, 0),
    }
    assert county["companies"] == [
        {"name": "PostNord", "issued": 6, "issued_sites": 2, "ordered": 3, "orders": 1, "shipped": 3}
    ]
    assert [r["name"] for r in decal_counts(anna_sundsvall)["municipalities"]] == ["Sundsvall"]
    assert decal_counts(ulla_uppsala_county)["municipalities"] == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_the_last_stock_at_once_cannot_drive_it_below_zero(
    contact_sundsvall, held_meeting_sundsvall, make_eligible, vasternorrland, karin_county, place_order, monkeypatch
):
    """Real PostgreSQL, two connections. Each approval pauses right after reading the
    stock until the other has read it too (or two seconds have passed): without the row
    lock both would read 3 and both would approve."""
    make_eligible(contact_sundsvall, held_meeting_sundsvall)
    DecalStock.objects.create(county=vasternorrland, quantity=3)
    orders = [place_order(contact_sundsvall, quantity=3), place_order(contact_sundsvall, quantity=3)]
    both_read = threading.Barrier(2)
    locked = services._locked

    def locked_after_both_read(order, expected):
        try:
            both_read.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass  # the other approval is waiting for the stock row: the lock at work
        return locked(order, expected)

    monkeypatch.setattr(services, "_locked", locked_after_both_read)
    start = threading.Barrier(2)
    outcomes = []

    def approve(order):
        try:
            start.wait(timeout=10)
            services.order_approve(order=order, by=karin_county)
            outcomes.append("approved")
        except services.OrderError as error:
            outcomes.append(str(error.messages[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and outcomes.count("approved") == 1, outcomes
    assert "lagret har 0" in next(o for o in outcomes if o != "approved")
    assert DecalStock.objects.get(county=vasternorrland).quantity == 0
    assert DecalOrder.objects.filter(state="approved").count() == 1


def test_an_order_draws_from_the_stock_of_its_own_size(
    eligible_sundsvall, vasternorrland, karin_county, place_order
):
    services.stock_receive(county=vasternorrland, size="A5", quantity=10, by=karin_county)
    order = place_order(eligible_sundsvall, quantity=3, size="A4")
    with pytest.raises(services.OrderError, match="3 dekaler i A4 men lagret har 0"):
        services.order_approve(order=order, by=karin_county)
    services.stock_receive(county=vasternorrland, size="A4", quantity=3, by=karin_county)
    services.order_approve(order=order, by=karin_county)
    assert dict(DecalStock.objects.values_list("size", "quantity")) == {"A4": 0, "A5": 10}
    movement = DecalStockMovement.objects.get(order=order)
    assert (movement.stock.size, movement.change) == ("A4", -3)
