"""Checking in a large lot one device at a time: the page shown again after every scan holds one page of the
manifest, says how many devices arrived, and its queries do not grow with the lot."""

import re

import pytest
from django.urls import reverse

from donations.enums import LotStatus
from tests.factories.donations import LotFactory, manifest_lines
from tests.factories.inventory import DeviceFactory
from tests.page_queries import steady_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client, workshop, technician):
    client.force_login(technician)
    return LotFactory(assigned=True, workshop=workshop, status=LotStatus.COLLECTED)


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row">([^<]*)</th>', body)


def test_a_large_lot_shows_one_page_of_its_manifest_and_how_many_arrived(client, lot, workshop):
    manifest_lines(lot, 2, 252)
    received = DeviceFactory(lot=lot, workshop=workshop, serial="FLEET-00251")
    DeviceFactory(lot=lot, workshop=workshop, serial="FLEET-00003")
    url = reverse("inventory:check_in")

    first = client.get(url, {"lot": lot.pk}).content.decode()
    assert rows(first) == [f"FLEET-{n:05d}" for n in range(2, 102)]
    assert "2 appareil(s) reçu(s) pour 250 lignes du manifeste." in first
    assert "Page 1 sur 3" in first and f"?lot={lot.pk}&amp;page=2" in first

    last = client.get(url, {"lot": lot.pk, "page": 3}).content.decode()
    assert rows(last) == [f"FLEET-{n:05d}" for n in range(202, 252)]
    assert received.asset_tag in last


def test_the_check_in_page_queries_do_not_grow_with_the_lot(client, lot, workshop):
    manifest_lines(lot, 2, 7)
    url = f"{reverse('inventory:check_in')}?lot={lot.pk}"

    few = steady_queries(client, url)
    manifest_lines(lot, 7, 160)
    for n in range(2, 60):
        DeviceFactory(lot=lot, workshop=workshop, serial=f"FLEET-{n:05d}")
    assert steady_queries(client, url) == few
