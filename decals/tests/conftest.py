"""Workplaces that may order decals, and a county with decals in stock."""

import pytest
from django.utils import timezone

from decals.models import DecalStock
from meetings.models import Registration


@pytest.fixture
def held_meeting_sundsvall(make_meeting, group_sundsvall):
    return make_meeting(group_sundsvall, days=-60, title="Samverkansmöte i våras", status="held")


@pytest.fixture
def make_eligible():
    """Give a site a checked-in participant at ``meeting`` and put that person in the network."""

    def make(contact, meeting):
        contact.in_network = True
        contact.joined_network_at = timezone.now()
        contact.save(update_fields=["in_network", "joined_network_at"])
        Registration.objects.create(meeting=meeting, contact=contact, checked_in_at=meeting.starts_at)
        return contact

    return make


@pytest.fixture
def eligible_sundsvall(contact_sundsvall, held_meeting_sundsvall, make_eligible):
    return make_eligible(contact_sundsvall, held_meeting_sundsvall)


@pytest.fixture
def stock_vasternorrland(vasternorrland):
    return DecalStock.objects.create(county=vasternorrland, quantity=100)


@pytest.fixture
def place_order():
    from decals import services

    def place(contact, quantity=3, **fields):
        site = contact.site
        data = {
            "quantity": quantity,
            "size": "A5",
            "delivery_name": site.name,
            "delivery_street": site.street,
            "delivery_postal_code": site.postal_code,
            "delivery_city": site.city,
        }
        data.update(fields)
        return services.order_place(contact=contact, site=site, **data)

    return place
