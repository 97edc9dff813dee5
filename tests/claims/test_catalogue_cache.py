"""The cached catalogue shows a change at once: a device listed, reserved, returned, repriced or moved away."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from inventory import services as inventory
from inventory.enums import DeviceState
from reuse.claims import services
from reuse.programmes.models import ProgrammePrice
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def catalogue(client):
    response = client.get(reverse("claims:catalogue"))
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.fixture
def prices(programme):
    ProgrammePrice.objects.get_or_create(
        programme=programme, device_type="laptop", grade="B", defaults={"min_cents": 0, "max_cents": 10000}
    )


def test_a_listed_reserved_returned_or_repriced_device_shows_at_once(client, programme, prices):
    DeviceFactory(listed=True, model="Already Online")
    device = DeviceFactory(listed=True, state=DeviceState.READY, model="Fresh Arrival")
    ErasureRecordFactory(device=device)
    technician = member_of(device.workshop)
    household = eligible()
    household_client = Client()
    household_client.force_login(household)

    for reader in (client, household_client):
        page = catalogue(reader)
        assert "Already Online" in page and "Fresh Arrival" not in page
        assert without_tokens(catalogue(reader)) == without_tokens(page)  # the cached page, fresh token

    inventory.move(device=device, actor=technician, to=DeviceState.LISTED)
    for reader in (client, household_client):
        assert "Fresh Arrival" in catalogue(reader)

    claim = services.create_claim(actor=household, device_id=device.pk)
    for reader in (client, household_client):
        assert "Fresh Arrival" not in catalogue(reader)

    services.cancel_claim(claim_id=claim.pk, actor=household)
    for reader in (client, household_client):
        assert "Fresh Arrival" in catalogue(reader)

    device.refresh_from_db()
    inventory.update_device(device=device, actor=technician, price_cents=4200)
    for reader in (client, household_client):
        page = catalogue(reader)
        assert re.search(r"Fresh Arrival.*?42 €", page, re.S)

    # The bench's batch moves bypass save(): they invalidate too.
    inventory.bench_apply(
        workshop=device.workshop, actor=technician, action=DeviceState.IN_REPAIR, codes=[device.asset_tag]
    )
    for reader in (client, household_client):
        assert "Fresh Arrival" not in catalogue(reader)


def test_a_cached_page_carries_each_visitors_own_csrf_token(programme):
    DeviceFactory(listed=True, model="Shared Page")
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = catalogue(visitor)
        assert "placeholder" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        # The token in the cached page works for this visitor: the language form is accepted.
        response = visitor.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_catalogue_api_answers_304_until_a_change(api_client, programme, prices):
    device = DeviceFactory(listed=True, price_cents=3000)
    first = api_client.get("/api/v1/catalogue")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Last-Modified"]
    again = api_client.get("/api/v1/catalogue", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag
    inventory.update_device(device=device, actor=member_of(device.workshop), price_cents=2500)
    changed = api_client.get("/api/v1/catalogue", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.json()["items"][0]["price_cents"] == 2500
