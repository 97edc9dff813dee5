"""The erasure certificate of a large fleet: its work does not grow per device beyond drawing the device's line
(no paragraph laid out per cell, one verification QR for every page), and a value too long for its column still
wraps and is printed whole."""

import io
import re
from unittest import mock

import pytest
from pypdf import PdfReader

from donations.models import ErasureCertificate
from inventory.donor_reports import certificates
from tests.donations.certificate_helpers import received_lot
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db

LONG_MODEL = "MZVLB256HBHQ-000L7 PM981a NVMe M.2 2280 256 Go révision OEM pour Latitude 7490"


@pytest.fixture
def lot(client):
    return received_lot(client)


def erased_devices(lot, count, start=0):
    for index in range(start, start + count):
        device = DeviceFactory(lot=lot, workshop=lot.workshop, serial=f"FLEET-{index:05d}", handed_over=True)
        ErasureRecordFactory(ssd=True, device=device, operator=lot.member, media_serial=f"DISK-{index:05d}")


def paragraphs_built(lot) -> int:
    certificate = certificates.issue_certificate(lot=lot, user=lot.created_by)
    with mock.patch.object(certificates, "paragraph", wraps=certificates.paragraph) as built:
        certificates.render_pdf(certificate)
    return built.call_count


def test_the_certificate_lays_out_no_paragraph_per_device(lot):
    erased_devices(lot, 3)
    few = paragraphs_built(lot)
    erased_devices(lot, 40, start=3)

    assert paragraphs_built(lot) == few


def test_every_page_shows_the_one_verification_qr_stored_once(client, lot):
    erased_devices(lot, 90)  # several pages of media and of devices
    response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    shown = set()
    for page in reader.pages:
        forms = page["/Resources"]["/XObject"]
        assert len(forms) == 1
        shown |= {reference.idnum for reference in forms.values()}
    assert len(shown) == 1


def test_a_value_longer_than_its_column_wraps_and_is_printed_whole(client, lot):
    device = DeviceFactory(lot=lot, workshop=lot.workshop, serial="SN-LONG", handed_over=True)
    ErasureRecordFactory(
        ssd=True, device=device, operator=lot.member, media_serial="DISK-LONG", media_model=LONG_MODEL
    )
    erased_devices(lot, 2)
    response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "".join(LONG_MODEL.split()) in "".join(text.split())
    assert ErasureCertificate.objects.get().media_count == 3


def test_the_public_verification_page_shows_a_page_of_each_table_and_finds_a_serial(client, lot):
    erased_devices(lot, 230)
    certificate = certificates.issue_certificate(lot=lot, user=lot.created_by)
    client.logout()
    url = f"/dons/certificats/{certificate.code}/"

    def lines(page: str) -> list[str]:
        return re.findall(r'<th scope="row">(FLEET-\d+)</th>', page)

    first = client.get(url).content.decode()
    assert len(lines(first)) == 2 * 200  # 200 devices, then 200 media (each named by its device's serial)
    assert first.count("Page 1 sur 2") == 2 and "?appareils=2" in first and "?supports=2" in first
    second = client.get(url, {"appareils": 2, "supports": 1}).content.decode()
    assert lines(second)[:30] == [f"FLEET-{n:05d}" for n in range(200, 230)]

    found = client.get(url, {"serie": "disk-00007"}).content.decode()
    assert lines(found) == ["FLEET-00007"] and "DISK-00007" in found
    found = client.get(url, {"serie": "fleet-00012"}).content.decode()
    assert lines(found) == ["FLEET-00012", "FLEET-00012"]
    missing = client.get(url, {"serie": "INCONNU-1"}).content.decode()
    assert "Aucune ligne du certificat ne porte « INCONNU-1 »." in missing and not lines(missing)
