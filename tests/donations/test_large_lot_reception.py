"""The workshop's lot page of a fleet received before its devices were scanned: each reconciliation list shows its
first lines and counts the rest, and the page's queries do not grow with the lot."""

import re

import pytest

from tests.factories.donations import LotFactory, manifest_lines
from tests.factories.inventory import DeviceFactory, workshop_with_member
from tests.page_queries import steady_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client):
    workshop, member = workshop_with_member()
    client.force_login(member)
    return LotFactory(workshop=workshop, received=True)


def test_each_reconciliation_list_shows_its_first_lines_and_counts_the_rest(client, lot):
    manifest_lines(lot, 2, 252)
    for n in range(3):
        DeviceFactory(lot=lot, workshop=lot.workshop, serial=f"EXTRA-{n}")
    page = client.get(f"/dons/atelier/lots/{lot.pk}/").content.decode()

    missing = page.split("Déclarés mais non reçus", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<li>(FLEET-\d+) ", missing) == [f"FLEET-{n:05d}" for n in range(2, 102)]
    assert "… et 150 autres." in page
    assert "250 manquant(s), 3 en plus" in page and "… et 3 autres" not in page


def test_the_workshop_lot_page_queries_do_not_grow_with_the_lot(client, lot):
    manifest_lines(lot, 2, 7)
    url = f"/dons/atelier/lots/{lot.pk}/"

    few = steady_queries(client, url)
    manifest_lines(lot, 7, 400)
    for n in range(2, 40):
        DeviceFactory(lot=lot, workshop=lot.workshop, serial=f"FLEET-{n:05d}")
    assert steady_queries(client, url) == few
