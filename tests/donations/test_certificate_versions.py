"""A lot's erasure certificate drawn again after a later erasure (or a device back on the bench) says which version
it is and which certificate it replaces: the IT officer holding both PDFs knows which one is in force without
going to the verification page, and the first one never silently contradicts the second."""

import pytest

from donations.models import ErasureCertificate
from tests.documents import pdf_text
from tests.donations.certificate_helpers import half_erased_lot
from tests.factories.inventory import ErasureRecordFactory

pytestmark = pytest.mark.django_db


def test_a_certificate_issued_again_names_its_version_and_the_one_it_replaces(client):
    lot = half_erased_lot(client)
    first_pdf = pdf_text(client.get(f"/dons/lots/{lot.pk}/certificat.pdf").content)
    first = ErasureCertificate.objects.get()
    assert "Version 1 du certificat de ce lot" in first_pdf

    ErasureRecordFactory(
        ssd=True,
        device=lot.devices.get(serial="PF3ABC13"),
        operator=lot.member,
        media_serial="S4EWNX0N654321",
    )
    second_pdf = pdf_text(client.get(f"/dons/lots/{lot.pk}/certificat.pdf").content)
    second = ErasureCertificate.objects.latest("created", "pk")
    assert second != first
    assert "Version 2 du certificat de ce lot" in second_pdf
    assert f"remplace le certificat {first.code}" in second_pdf
    page = client.get(f"/dons/certificats/{first.code}/").content.decode()
    assert second.code in page
