"""The lot report API: every device by default (PRODUCT.md's shape), or pages with `limit` and `cursor`."""

import pytest

from tests.donations.certificate_helpers import received_lot
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client):
    lot = received_lot(client)
    # Serial numbers as asset tools list them; two devices without one (known by their asset tag only).
    for serial in ("5CG1234XYZ", "C02XK0AAJG5J", "PF3ABC12", "", "", "1S20QES0A200"):
        DeviceFactory(lot=lot, workshop=lot.workshop, serial=serial)
    return lot


def test_without_limit_the_report_answers_every_device_as_documented(api_client, lot):
    body = api_client.get(f"/api/v1/lots/{lot.pk}/report").json()

    assert len(body["devices"]) == 6 and body["next_cursor"] is None
    assert {"co2e_kg", "weee_kg", "method"} <= body["impact"].keys()


def test_pages_walk_every_device_once_in_the_same_order(api_client, lot):
    whole = [
        (d["serial"], d["asset_tag"])
        for d in api_client.get(f"/api/v1/lots/{lot.pk}/report").json()["devices"]
    ]
    walked, cursor, pages = [], None, 0
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        body = api_client.get(f"/api/v1/lots/{lot.pk}/report", **params).json()
        pages += 1
        assert len(body["devices"]) <= 4
        assert body["impact"]["co2e_kg"] >= 0  # the whole lot's impact on each page
        walked += [(d["serial"], d["asset_tag"]) for d in body["devices"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == 2 and walked == whole


def test_a_cursor_that_names_no_device_of_the_lot_is_refused(api_client, lot):
    other = DeviceFactory(serial="ZZZ")

    for cursor in (str(other.pk), "abc"):
        response = api_client.get(f"/api/v1/lots/{lot.pk}/report", limit=2, cursor=cursor)
        assert response.status_code == 422 and response.json()["detail"] == "Curseur invalide."
