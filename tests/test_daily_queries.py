"""SQL queries per page, for the pages a workshop, a donor and a household use every day.

Each budget is what the page costs today (PostgreSQL and SQLite alike): a change that adds an N+1 or a query
per row fails here. The after-care and tripod sections (tickets on the device page, the donor's in-use figures,
the claim page's offers, places, sessions and handover records) each add one query: the claim page went from 8
to 22 with them, and folding those sections into fewer queries is left to do (issue 16's note). The first request of each page fills the process caches (site chrome, lots, sessions)
and is not counted, as in production where they stay warm.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Lot
from inventory.enums import DeviceState
from inventory.models import Device
from reuse.accounts.models import User
from reuse.claims.models import Claim

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
    ("inventory:dashboard", None, 8),
    ("inventory:stock", None, 4),
    # SQLite has no JSON containment: finding the programme of a department reads the programmes (+2).
    ("inventory:device", "tag", 12 if connection.vendor == "postgresql" else 13),
    ("inventory:bench", None, 4),
    ("inventory:check_in", None, 4),
    ("claims:handover", None, 5),
    ("donations:workshop_lots", None, 4),
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
def test_every_stock_page_takes_at_most_four_queries(client, demo, params):
    signed_in(client, "atelier@example.org")
    url = reverse("inventory:stock")
    first = client.get(url, params)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    assert len(captured) <= 4, [q["sql"][:120] for q in captured]
    lot = Lot.objects.filter(devices__isnull=False).first()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, {**params, "lot": lot.pk})
    assert len(captured) <= 4


def test_donor_pages(client, demo):
    signed_in(client, "donateur@example.org")
    donor = User.objects.get(email="donateur@example.org")
    lot = Lot.objects.filter(donor__memberships__user=donor).order_by("pk").first()
    assert queries_of(client, reverse("donations:dashboard")) <= 10
    assert queries_of(client, reverse("donations:lot", args=[lot.pk])) <= 16


def test_household_pages(client, demo):
    household = User.objects.get(email="beneficiaire@example.org")
    device = Device.objects.filter(state=DeviceState.LISTED).first()
    # Anonymous visitors get the catalogue from the cache: no query at all.
    assert queries_of(client, reverse("claims:catalogue")) == 0
    signed_in(client, "beneficiaire@example.org")
    assert queries_of(client, reverse("claims:catalogue")) <= 1
    assert queries_of(client, reverse("claims:catalogue") + "?type=laptop") <= 1
    assert queries_of(client, reverse("claims:device", args=[device.pk])) <= 7
    assert queries_of(client, reverse("claims:my_claims")) <= 4
    assert queries_of(client, reverse("eligibility:dashboard")) <= 9
    claim = Claim.objects.filter(claimed_by=household).first()
    if claim is not None:
        assert queries_of(client, reverse("claims:claim", args=[claim.pk])) <= 22
