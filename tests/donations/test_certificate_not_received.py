"""A serial declared in the donor's manifest that never reached the workshop is said, not silently left out: on the
erasure certificate, its public verification page and the outcome export (a DPO compares them with the manifest)."""

import pytest

from tests.donations.certificate_helpers import (
    certificate_text,
    outcome_rows,
    received_lot,
    verification_page,
)
from tests.factories.donations import LotItemFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db

# As an Intune export lists them: an HP, a Lenovo and a Dell serial; the Dell one never reached the workshop.
DECLARED = (("5CG7310XYZ", "HP", "EliteBook 840 G5"), ("PF1ABCDE", "Lenovo", "ThinkPad T480"))
LOST = ("9XK2LM3", "Dell", "Latitude 5490")


@pytest.fixture
def lot(client):
    lot = received_lot(client)
    for serial, brand, model in (*DECLARED, LOST):
        LotItemFactory(lot=lot, serial=serial, brand=brand, model=model)
    for serial, brand, model in DECLARED:
        device = DeviceFactory(
            lot=lot, workshop=lot.workshop, serial=serial.lower(), brand=brand, model=model
        )
        ErasureRecordFactory(ssd=True, device=device, operator=lot.member)
    return lot


def test_the_certificate_lists_a_declared_serial_that_was_never_received(client, lot):
    text = certificate_text(client, lot)

    assert "Déclarés au manifeste, non reçus par l’atelier" in text
    assert "9XK2LM3 Ordinateur portable Dell Latitude 5490" in text
    # Received under the same serial in another case: not listed as missing.
    assert text.count("5CG7310XYZ") == 0 and text.count("5cg7310xyz") >= 1


def test_the_verification_page_finds_the_serial_and_says_it_was_not_received(client, lot):
    body = verification_page(client, lot, serie="9xk2")

    assert "data-no-match" not in body
    assert '<th scope="row">9XK2LM3</th>' in body and "non reçu" in body


def test_the_export_has_a_line_for_the_serial_that_was_never_received(client, lot):
    rows = outcome_rows(client.get(f"/dons/lots/{lot.pk}/devenir.csv"))
    by_serial = {row[0]: row for row in rows[1:]}
    assert len(rows) == 4
    assert by_serial["9XK2LM3"][3:6] == ["Dell", "Latitude 5490", "Non reçu"]
    assert by_serial["9XK2LM3"][11] == "Déclaré au manifeste, non reçu par l’atelier"


def test_the_report_api_lists_a_declared_serial_that_was_never_received_beside_its_devices(api_client, lot):
    body = api_client.get(f"/api/v1/lots/{lot.pk}/report?limit=1").json()

    assert {"lot_id", "status", "devices", "impact", "next_cursor"} <= set(body)
    assert len(body["devices"]) == 1
    serial, brand, model = LOST
    assert body["not_received"] == [{"serial": serial, "type": "laptop", "brand": brand, "model": model}]


def test_the_certificate_is_a_download_no_cache_keeps(client, lot):
    # It lists every serial of the donor's devices: a private file, downloaded, kept by no shared cache.
    response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
