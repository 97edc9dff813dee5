"""A drive destroyed rather than wiped (NIST SP 800-88 Destroy) shows on the certificate and its verification page
what proves it: the destruction record the workshop noted, or that none was attached."""

import pytest

from tests.donations.certificate_helpers import (
    certificate_text,
    outcome_rows,
    received_lot,
    verification_page,
)
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db

# What a workshop writes when a shredding provider takes failed drives (a certificate of destruction number).
PROOF = "Certificat de destruction Paprec n° CD-2026-11-0423, broyage 6 mm"


@pytest.fixture
def lot(client):
    lot = received_lot(client)
    for serial, media, notes in (
        ("5CG7310XYZ", "WD-WCC4N0123456", PROOF),
        ("PF1ABCDE", "S3Z9NB0K654321", ""),
    ):
        device = DeviceFactory(lot=lot, workshop=lot.workshop, serial=serial, recycled=True)
        ErasureRecordFactory(
            device=device, operator=lot.member, shredded=True, media_serial=media, notes=notes
        )
    return lot


def test_the_certificate_prints_the_proof_of_each_destroyed_drive(client, lot):
    text = certificate_text(client, lot)

    assert "CD-2026-11-0423" in text
    assert "sans pièce jointe" in text


def test_the_verification_page_shows_the_same_proof(client, lot):
    page = verification_page(client, lot)

    assert PROOF in page and "sans pièce jointe" in page


def test_the_export_names_the_standard_and_level_of_each_devices_erasure(client, lot):
    rows = outcome_rows(client.get(f"/dons/lots/{lot.pk}/devenir.csv"))
    column = rows[0].index("effacement_norme")
    assert {row[column] for row in rows[1:]} == {"NIST SP 800-88 Destroy"}
