import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from decals import services
from decals.models import CountyDecalSettings, DecalOrder, DecalStock
from decals.selectors import decal_counts
from tif_portal.testing.queries import assert_queries_do_not_grow

ORDER_URL = reverse("contact:decal_order")
QUEUE_URL = reverse("decals:order_list")
ACTION_URL = reverse("decals:order_action")


def sign_in_contact(client, contact):
    """What the magic link does, without the mail round trip (tested in accounts)."""
    user = User.objects.filter(email=contact.email).first() or User.objects.create_user(
        contact.email, None, name=contact.name, role=User.Role.CONTACT
    )
    contact.user = user
    contact.save(update_fields=["user"])
    client.force_login(user)
    return user


def order_data(site, **fields):
    data = {
        "site": site.pk,
        "quantity": 3,
        "size": "A5",
        "delivery_name": site.name,
        "delivery_street": site.street,
        "delivery_postal_code": site.postal_code,
        "delivery_city": site.city,
        "note": "",
    }
    data.update(fields)
    return data


def section(response):
    return next(ctx for template, ctx in response.context["sections"] if template == "decals/contact_section.html")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# Contacts ---------------------------------------------------------------------


def test_an_eligible_contact_sees_a_prefilled_order_form_on_my_page(client, eligible_sundsvall):
    sign_in_contact(client, eligible_sundsvall)
    response = client.get(reverse("contact:my_page"))
    page = response.content.decode()
    assert "Dekaler till arbetsplatsen" in page and "kan beställa dekaler" in page
    form = section(response)["workplaces"][0]["form"]
    assert form.initial["delivery_street"] == eligible_sundsvall.site.street
    assert f'id="id_site{eligible_sundsvall.site_id}_quantity"' in page
    assert f'action="{ORDER_URL}"' in page


def test_an_ineligible_workplace_sees_why_and_how_to_become_eligible(client, contact_sundsvall):
    sign_in_contact(client, contact_sundsvall)
    page = client.get(reverse("contact:my_page")).content.decode()
    assert "kan inte beställa dekaler än" in page
    assert "samverkansmöte" in page and "nätverket" in page
    assert 'name="quantity"' not in page


def test_posting_the_order_form_directly_for_an_ineligible_site_is_refused(client, contact_sundsvall):
    sign_in_contact(client, contact_sundsvall)
    response = client.post(ORDER_URL, order_data(contact_sundsvall.site))
    assert response.status_code == 400
    assert "samverkansmöte" in response.content.decode()
    assert not DecalOrder.objects.exists()


def test_a_contact_cannot_order_for_someone_elses_workplace(client, eligible_sundsvall, site_harnosand):
    sign_in_contact(client, eligible_sundsvall)
    response = client.post(ORDER_URL, order_data(site_harnosand))
    assert response.status_code == 400 and "Välj en av dina egna arbetsplatser" in response.content.decode()
    assert not DecalOrder.objects.exists()


def test_a_quantity_above_the_limit_is_refused_with_a_clear_message(client, eligible_sundsvall):
    sign_in_contact(client, eligible_sundsvall)
    response = client.post(ORDER_URL, order_data(eligible_sundsvall.site, quantity=21))
    assert "Ange ett antal mellan 1 och 20" in response.content.decode()
    assert not DecalOrder.objects.exists()


def test_ordering_from_my_page_places_the_order_and_mails_a_receipt(
    client, eligible_sundsvall, django_capture_on_commit_callbacks, mailoutbox
):
    sign_in_contact(client, eligible_sundsvall)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ORDER_URL, order_data(eligible_sundsvall.site, note="Portkod 1234"))
    assert response.status_code == 302
    order = DecalOrder.objects.get()
    assert (order.quantity, order.contact, order.note) == (3, eligible_sundsvall, "Portkod 1234")
    assert [m.to for m in mailoutbox] == [[eligible_sundsvall.email]]
    assert f"beställning nummer {order.pk}" in mailoutbox[0].body
    page = client.get(reverse("contact:my_page")).content.decode()
    assert "Lagd" in page


def test_a_contact_never_sees_another_contacts_orders(
    client, eligible_sundsvall, make_contact, make_eligible, held_meeting_sundsvall, place_order
):
    colleague = make_eligible(make_contact(eligible_sundsvall.site, name="Kollega"), held_meeting_sundsvall)
    mine = place_order(eligible_sundsvall)
    theirs = place_order(colleague)
    sign_in_contact(client, eligible_sundsvall)
    response = client.get(reverse("contact:my_page"))
    assert list(section(response)["orders"]) == [mine]
    assert theirs not in section(response)["orders"]


def test_order_pages_for_staff_are_closed_to_contacts(client, eligible_sundsvall, place_order):
    order = place_order(eligible_sundsvall)
    sign_in_contact(client, eligible_sundsvall)
    assert client.get(order.get_absolute_url()).status_code == 404
    assert client.get(QUEUE_URL).status_code == 403
    assert client.post(ACTION_URL, {"orders": [order.pk], "action": "approve"}).status_code == 403


# County ----------------------------------------------------------------------


@pytest.fixture
def orders_in_both(eligible_sundsvall, place_order, decal_order_harnosand):
    return {"sundsvall": place_order(eligible_sundsvall), "harnosand": decal_order_harnosand}


def test_the_county_officer_sees_every_order_in_the_county(client, karin_county, orders_in_both, ulla_uppsala_county):
    client.force_login(karin_county)
    page = client.get(QUEUE_URL).content.decode()
    assert "ICA Nära Sundsvall" in page and "Coop Härnösand" in page
    client.force_login(ulla_uppsala_county)
    page = client.get(QUEUE_URL).content.decode()
    assert "ICA Nära Sundsvall" not in page and "Coop Härnösand" not in page


def test_the_queue_filters_by_state_municipality_company_and_date(client, karin_county, orders_in_both, sundsvall):
    client.force_login(karin_county)
    services.order_reject(order=orders_in_both["harnosand"], by=karin_county, reason="Dubblett")

    def names(**params):
        return [o.site.name for o in client.get(QUEUE_URL, params).context["page"]]

    assert names(state="placed") == ["ICA Nära Sundsvall"]
    assert names(state="rejected") == ["Coop Härnösand"]
    assert names(municipality=sundsvall.pk) == ["ICA Nära Sundsvall"]
    assert names(company="postnord") == ["ICA Nära Sundsvall", "Coop Härnösand"] or len(names(company="postnord")) == 2
    assert names(company="DHL") == []
    assert names(placed_from="2000-01-01", placed_to="2000-01-02") == []


def test_coordinators_handle_their_own_orders_only_when_the_county_allows(
    client, anna_sundsvall, orders_in_both, vasternorrland
):
    client.force_login(anna_sundsvall)
    assert client.get(QUEUE_URL).status_code == 403
    assert client.get(orders_in_both["sundsvall"].get_absolute_url()).status_code == 404
    CountyDecalSettings.objects.create(county=vasternorrland, coordinators_may_handle_orders=True)
    page = client.get(QUEUE_URL).content.decode()
    assert "ICA Nära Sundsvall" in page and "Coop Härnösand" not in page
    assert client.get(orders_in_both["sundsvall"].get_absolute_url()).status_code == 200
    assert client.get(orders_in_both["harnosand"].get_absolute_url()).status_code == 404


def test_approving_several_orders_at_once_draws_stock_and_mails_each_orderer(
    client,
    karin_county,
    eligible_sundsvall,
    place_order,
    stock_vasternorrland,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    orders = [place_order(eligible_sundsvall, quantity=q) for q in (2, 4)]
    client.force_login(karin_county)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTION_URL, {"orders": [o.pk for o in orders], "action": "approve"}, follow=True)
    assert "2 beställningar är godkända." in response.content.decode()
    assert DecalStock.objects.get().quantity == 94
    assert set(DecalOrder.objects.values_list("state", flat=True)) == {"approved"}
    approved = [m for m in mailoutbox if "godkänd" in m.subject]
    assert len(approved) == 2 and {m.to[0] for m in approved} == {eligible_sundsvall.email}


def test_approving_beyond_the_stock_shows_a_clear_message(
    client, karin_county, eligible_sundsvall, place_order, vasternorrland
):
    DecalStock.objects.create(county=vasternorrland, quantity=1)
    order = place_order(eligible_sundsvall, quantity=3)
    client.force_login(karin_county)
    response = client.post(ACTION_URL, {"orders": [order.pk], "action": "approve"}, follow=True)
    assert "lagret har 1" in response.content.decode()
    order.refresh_from_db()
    assert order.state == "placed"


def test_rejecting_needs_a_reason(client, karin_county, orders_in_both):
    client.force_login(karin_county)
    order = orders_in_both["sundsvall"]
    response = client.post(ACTION_URL, {"orders": [order.pk], "action": "reject", "reason": ""}, follow=True)
    assert "Skriv varför beställningarna avslås" in response.content.decode()
    client.post(ACTION_URL, {"orders": [order.pk], "action": "reject", "reason": "Ni har redan dekaler."})
    order.refresh_from_db()
    assert order.state == "rejected" and order.rejection_reason == "Ni har redan dekaler."


def test_foreign_order_ids_in_a_bulk_action_change_nothing(
    client, ulla_uppsala_county, anna_sundsvall, orders_in_both, vasternorrland
):
    CountyDecalSettings.objects.create(county=vasternorrland, coordinators_may_handle_orders=True)
    client.force_login(anna_sundsvall)
    client.post(ACTION_URL, {"orders": [orders_in_both["harnosand"].pk], "action": "reject", "reason": "x"})
    client.force_login(ulla_uppsala_county)
    response = client.post(ACTION_URL, {"orders": [orders_in_both["sundsvall"].pk], "action": "slips"})
    assert response.status_code == 302
    assert set(DecalOrder.objects.values_list("state", flat=True)) == {"placed"}


def test_shipping_and_the_history_on_the_order_page(client, karin_county, orders_in_both, stock_vasternorrland):
    order = orders_in_both["sundsvall"]
    client.force_login(karin_county)
    client.post(ACTION_URL, {"orders": [order.pk], "action": "approve"})
    client.post(ACTION_URL, {"orders": [order.pk], "action": "ship"})
    order.refresh_from_db()
    assert order.state == "shipped"
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Skickad" in page and "Karin Nordlund" in page and "Sara Östlund" in page


def test_packing_slips_are_one_page_per_order(client, karin_county, orders_in_both):
    client.force_login(karin_county)
    ids = [orders_in_both["sundsvall"].pk, orders_in_both["harnosand"].pk]
    response = client.post(ACTION_URL, {"orders": ids, "action": "slips"})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = pdf_text(response.content)
    assert "Följesedel" in text and "ICA Nära Sundsvall" in text and "Coop Härnösand" in text


def test_address_labels_fill_an_a4_grid(client, karin_county, eligible_sundsvall, place_order):
    orders = [place_order(eligible_sundsvall, quantity=1) for _ in range(25)]
    client.force_login(karin_county)
    response = client.post(ACTION_URL, {"orders": [o.pk for o in orders], "action": "labels"})
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2  # 24 labels (3 × 8) on the first sheet
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    assert pdf_text(response.content).count("852 30 Sundsvall") == 25


def test_the_queue_keeps_a_fixed_number_of_queries_as_orders_grow_tenfold(
    client, karin_county, contact_sundsvall, make_site, sundsvall, make_contact
):
    def add(count):
        rows = []
        for _ in range(count):
            site = make_site(sundsvall)
            contact = make_contact(site)
            rows.append(
                DecalOrder(
                    site=site,
                    contact=contact,
                    quantity=1,
                    delivery_name=site.name,
                    delivery_street=site.street,
                    delivery_postal_code=site.postal_code,
                    delivery_city=site.city,
                )
            )
        DecalOrder.objects.bulk_create(rows)

    client.force_login(karin_county)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE_URL).status_code == 200
        return len(queries)

    add(5)
    small = count_queries()
    add(45)
    large = count_queries()
    assert large == small <= 12, (small, large)


def test_the_officer_receives_stock_and_sees_the_movements(client, karin_county, vasternorrland):
    client.force_login(karin_county)
    response = client.post(
        reverse("decals:stock"), {"county": vasternorrland.pk, "quantity": 200, "note": "Tryckeriet"}, follow=True
    )
    assert "Inleveransen är registrerad." in response.content.decode()
    assert DecalStock.objects.get(county=vasternorrland).quantity == 200
    assert "Tryckeriet" in response.content.decode()


def test_the_stock_is_kept_per_size_and_the_movements_say_which(client, karin_county, vasternorrland):
    client.force_login(karin_county)
    client.post(reverse("decals:stock"), {"county": vasternorrland.pk, "size": "A4", "quantity": 30})
    client.post(reverse("decals:stock"), {"county": vasternorrland.pk, "size": "A6", "quantity": 7})
    assert dict(DecalStock.objects.values_list("size", "quantity")) == {"A4": 30, "A6": 7}
    page = client.get(reverse("decals:stock")).content.decode()
    row = page[page.index('<th scope="row">Västernorrlands län</th>'):]
    assert row.startswith('<th scope="row">Västernorrlands län</th><td class="text-end">7</td><td class="text-end">0</td><td class="text-end">30</td><td class="text-end">37</td>')
    assert "<td>A4</td><td>Inleverans</td>" in page and "<td>A6</td><td>Inleverans</td>" in page


def test_an_officer_cannot_add_stock_to_another_county(client, karin_county, uppsala_county):
    client.force_login(karin_county)
    response = client.post(reverse("decals:stock"), {"county": uppsala_county.pk, "quantity": 5})
    assert response.status_code == 400
    assert not DecalStock.objects.exists()


def test_the_county_sets_who_handles_orders_and_the_eligibility_period(client, karin_county, vasternorrland):
    client.force_login(karin_county)
    client.post(reverse("decals:county_settings"), {"coordinators_may_handle_orders": "on", "eligibility_years": 2})
    settings = CountyDecalSettings.objects.get(county=vasternorrland)
    assert settings.coordinators_may_handle_orders and settings.eligibility_years == 2


def test_statistics_show_the_coordinators_municipality_only(client, anna_sundsvall, karin_county, orders_in_both):
    client.force_login(anna_sundsvall)
    page = client.get(reverse("decals:statistics")).content.decode()
    assert "Sundsvall" in page and "Härnösand" not in page
    client.force_login(karin_county)
    page = client.get(reverse("decals:statistics")).content.decode()
    assert "Sundsvall" in page and "Härnösand" in page


def test_decal_counts_for_a_chosen_county(admin_user, orders_in_both, vasternorrland, uppsala_county):
    assert {r["name"] for r in decal_counts(admin_user, county=vasternorrland)["municipalities"]} == {
        "Sundsvall",
        "Härnösand",
    }
    assert decal_counts(admin_user, county=uppsala_county)["municipalities"] == []


def test_the_stock_page_keeps_its_query_count_as_deliveries_come_in(client, karin_county, vasternorrland):
    services.stock_receive(county=vasternorrland, quantity=10, by=karin_county, note="Leverans 1")
    client.force_login(karin_county)
    assert_queries_do_not_grow(
        client,
        reverse("decals:stock"),
        grow=lambda: [
            services.stock_receive(county=vasternorrland, quantity=5, by=karin_county, note=f"Leverans {n}")
            for n in range(2, 30)
        ],
        budget=10,
        shows=["Leverans 1"],
        shows_after_growth=["Leverans 1", "Leverans 29"],
    )
