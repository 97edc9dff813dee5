"""SQL queries per page, for the pages a workshop, a donor and a household use every day.

Each budget is what the page costs today (PostgreSQL and SQLite alike): a change that adds an N+1 or a query
per row fails here. The signed-in person and their roles come from the cache (reuse.accounts.backends), and so do
the programme's price bounds: no page reads them once warm. The device page reads a section (media, photos,
parts, tickets) only when its query found rows there. The claim page reads the claim with its household, decision,
workshop and handover records in one query; its tripod sections (sessions, offers, cheques, nearby places) take
one each. The first request of each page fills the caches (site chrome, lots, sessions, the user) and is not
counted, as in production where they stay warm.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Lot
from inventory.enums import DeviceState
from inventory.models import Device, StorageMediumRecord
from reuse.accounts.models import User
from reuse.claims.models import Claim
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db


def signed_in(client, email):
    client.force_login(User.objects.get(email=email))
    return client


def queries_of(client, url):
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


WORKSHOP_PAGES = [
    ("inventory:dashboard", None, 6),
    ("inventory:stock", None, 2),
    # The device, its erasures and its history; the demo device has no media, photos, parts nor tickets.
    ("inventory:device", "tag", 3),
    ("inventory:bench", None, 2),
    ("inventory:check_in", None, 2),
    ("claims:handover", None, 3),
    ("donations:workshop_lots", None, 2),
]


@pytest.mark.parametrize(("name", "arg", "budget"), WORKSHOP_PAGES)
def test_workshop_pages(client, demo, name, arg, budget):
    signed_in(client, "atelier@example.org")
    technician = User.objects.get(email="atelier@example.org")
    device = Device.objects.filter(workshop__memberships__user=technician, state=DeviceState.LISTED).first()
    url = reverse(name, args=[device.asset_tag] if arg == "tag" else [])
    assert queries_of(client, url) <= budget


@pytest.mark.parametrize(
    "params",
    [{}, {"state": "received"}, {"type": "laptop", "grade": "B"}, {"age": "90+"}, {"q": "lat"}, {"fin": "1"}],
)
def test_every_stock_page_takes_at_most_two_queries(client, demo, params):
    signed_in(client, "atelier@example.org")
    url = reverse("inventory:stock")
    first = client.get(url, params)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    assert len(captured) <= 2, [q["sql"][:120] for q in captured]
    lot = Lot.objects.filter(devices__isnull=False).first()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, {**params, "lot": lot.pk})
    assert len(captured) <= 2


def test_donor_pages(client, demo):
    signed_in(client, "donateur@example.org")
    donor = User.objects.get(email="donateur@example.org")
    lot = Lot.objects.filter(donor__memberships__user=donor).order_by("pk").first()
    assert queries_of(client, reverse("donations:dashboard")) <= 8
    assert queries_of(client, reverse("donations:lot", args=[lot.pk])) <= 11


def test_household_pages(client, demo):
    household = User.objects.get(email="beneficiaire@example.org")
    device = Device.objects.filter(state=DeviceState.LISTED).first()
    # Anonymous visitors get the catalogue from the cache: no query at all.
    assert queries_of(client, reverse("claims:catalogue")) == 0
    signed_in(client, "beneficiaire@example.org")
    # Signed in, neither: the person comes from the cache too.
    assert queries_of(client, reverse("claims:catalogue")) == 0
    assert queries_of(client, reverse("claims:catalogue") + "?type=laptop") == 0
    # The claim's own rule is read before the form is offered (its programme, a recent claim of it, the cap).
    assert queries_of(client, reverse("claims:device", args=[device.pk])) <= 10
    assert queries_of(client, reverse("claims:my_claims")) <= 2
    assert queries_of(client, reverse("eligibility:dashboard")) <= 7
    claim = Claim.objects.filter(claimed_by=household).first()
    if claim is not None:
        assert queries_of(client, reverse("claims:claim", args=[claim.pk])) <= 10


def test_the_device_page_reads_a_section_only_when_it_has_rows_and_the_lot_item_in_its_own_query(client):
    """The release checklist comes with the device (find_lot_item's match: the serial, else the lot's asset
    tag); media add their one query when there are some."""
    workshop, technician = workshop_with_member()
    client.force_login(technician)
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(lot=lot, serial="other", asset_tag="AT-77", mdm_released=False)
    by_tag = DeviceFactory(workshop=workshop, lot=lot, serial="at-77")
    LotItemFactory(lot=lot, serial="SN-LOCKED", activation_lock_off=False)
    by_serial = DeviceFactory(workshop=workshop, lot=lot, serial="sn-locked")
    blank = DeviceFactory(workshop=workshop, lot=lot, serial="")
    LotItemFactory(lot=lot, serial="", asset_tag="", frp_removed=False)
    for device, warned in ((by_tag, "MDM"), (by_serial, "verrouillage"), (blank, None)):
        url = reverse("inventory:device", args=[device.asset_tag])
        assert queries_of(client, url) == 2, device  # the device (with its lot item) and its history
        html = client.get(url).content.decode()
        assert ("Non levé par le donateur" in html) == bool(warned)
        if warned:
            assert warned in html
    StorageMediumRecord.objects.create(device=by_serial, serial="DISK-1", make="Samsung", model="PM981")
    url = reverse("inventory:device", args=[by_serial.asset_tag])
    assert queries_of(client, url) == 3
    assert "DISK-1" in client.get(url).content.decode()
