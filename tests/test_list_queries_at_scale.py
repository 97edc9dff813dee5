"""List pages and API lists at ten times the data make as many queries as at one time: no query per row.

Each list is filled twice, with a small set and with ten times more (lots of thousands of devices for the donor),
and its steady query count (caches warm, tests/page_queries.py) must be the same. Deterministic: counts, not
times. Lists counted elsewhere the same way: the document review queue (tests/eligibility/test_review_queue.py),
the referrer's households and GET households (tests/eligibility/test_referrer_search.py), the workshop's stock
(tests/inventory/test_views.py), the admin's listings (tests/donations/test_admin_listing_queries.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from inventory.enums import DeviceState
from inventory.models import Device
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory, WorkshopProfileFactory, workshop_with_member
from tests.page_queries import steady_queries

pytestmark = pytest.mark.django_db

OUTCOMES = [DeviceState.HANDED_OVER, DeviceState.RECYCLED, DeviceState.PARTS, DeviceState.RECEIVED]


def donor_lots(donor, workshop, lots: int, devices: int) -> None:
    """`lots` received lots of `donor`, each with `devices` devices at the workshop in every outcome."""
    for _ in range(lots):
        lot = LotFactory(donor=donor, workshop=workshop, received=True)
        LotItemFactory(lot=lot)
        start = Device.objects.count()
        Device.objects.bulk_create(
            Device(
                workshop=workshop,
                lot=lot,
                asset_tag=f"RB-{start + i:07d}",
                serial=f"SC{lot.pk:04d}{i:06d}",
                type="laptop",
                brand="Dell",
                model="Latitude 5490",
                state=OUTCOMES[i % len(OUTCOMES)],
            )
            for i in range(devices)
        )


def test_the_donor_s_lot_list_costs_the_same_for_2_lots_of_50_devices_as_for_20_of_150():
    donor = OrganisationFactory(donor=True)
    workshop, _technician = workshop_with_member()
    client = Client()
    client.force_login(member_of(donor))
    donor_lots(donor, workshop, lots=2, devices=50)
    few = steady_queries(client, reverse("donations:dashboard"))
    donor_lots(donor, workshop, lots=18, devices=150)
    assert Device.objects.filter(lot__donor=donor).count() == 2 * 50 + 18 * 150
    assert client.get(reverse("donations:dashboard")).content.decode().count("/dons/lots/") >= 20
    assert steady_queries(client, reverse("donations:dashboard")) == few


def test_the_api_s_device_list_costs_the_same_for_5_devices_as_for_50():
    workshop, technician = workshop_with_member()
    client = Client()
    client.force_login(technician)
    lot = LotFactory(workshop=workshop, received=True)
    DeviceFactory.create_batch(5, workshop=workshop, lot=lot, ready=True)
    few = steady_queries(client, "/api/v1/devices?limit=100")
    DeviceFactory.create_batch(45, workshop=workshop, lot=LotFactory(workshop=workshop, received=True))
    assert steady_queries(client, "/api/v1/devices?limit=100") == few


@pytest.mark.parametrize("query", ["", "?type=laptop&q=ThinkPad&limit=100"])
def test_the_api_s_catalogue_costs_the_same_for_5_devices_in_5_workshops_as_for_50_in_50(query):
    client = Client()
    DeviceFactory.create_batch(5, listed=True)
    few = steady_queries(client, "/api/v1/catalogue" + query)
    DeviceFactory.create_batch(45, listed=True)
    assert steady_queries(client, "/api/v1/catalogue" + query) == few


def pending_workshops(n: int) -> None:
    for _ in range(n):
        WorkshopProfileFactory(organisation=OrganisationFactory(workshop=True, pending=True))


def test_the_staff_s_workshops_to_moderate_cost_the_same_for_3_as_for_30():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pending_workshops(3)
    few = steady_queries(client, reverse("workshops:index"))
    pending_workshops(27)
    assert steady_queries(client, reverse("workshops:index")) == few


def test_the_workshop_s_lot_list_costs_the_same_for_2_lots_as_for_20_with_their_devices():
    donor = OrganisationFactory(donor=True)
    workshop, technician = workshop_with_member()
    client = Client()
    client.force_login(technician)
    donor_lots(donor, workshop, lots=2, devices=20)
    few = steady_queries(client, reverse("donations:workshop_lots"))
    donor_lots(donor, workshop, lots=18, devices=60)
    page = client.get(reverse("donations:workshop_lots")).content.decode()
    assert page.count("/dons/atelier/lots/") >= 20
    assert steady_queries(client, reverse("donations:workshop_lots")) == few
