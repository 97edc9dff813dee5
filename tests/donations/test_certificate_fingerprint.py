"""The certificate a donor downloads is built from the lot's data as it is at the download, whatever path wrote it
(bulk updates and inserts send no signal), and is not built again while that data has not changed."""

from unittest import mock

import pytest

from donations.models import ErasureCertificate, Lot, LotItem
from inventory.donor_reports import certificates, stored
from inventory.enums import DeviceState
from inventory.models import Device, ErasureRecord
from reuse.accounts.models import User
from tests.donations.certificate_helpers import half_erased_lot, pdf_text
from tests.factories.donations import LotItemFactory
from tests.factories.inventory import ErasureRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client):
    return half_erased_lot(client)


def _recycle_in_bulk(lot):
    Device.objects.filter(lot=lot, serial="PF3ABC13").update(
        state=DeviceState.RECYCLED, recycle_channel="Ecologic", recycle_reference="BSD-2026-7"
    )
    return "Recyclé via la filière Ecologic (BSD-2026-7)"


def _import_erasures_in_bulk(lot):
    device = lot.devices.get(serial="PF3ABC13")
    ErasureRecord.objects.bulk_create(
        [ErasureRecordFactory.build(device=device, operator=lot.member, media_serial="S4EWNX0N654321")]
    )
    return "S4EWNX0N654321"


def _import_manifest_in_bulk(lot):
    LotItem.objects.bulk_create([LotItemFactory.build(lot=lot, serial="NONRECU-42")])
    return "NONRECU-42"


def _rename_operator(lot):
    User.objects.filter(pk=lot.member.pk).update(first_name="Inès", last_name="Berthier")
    return "Inès Berthier"


def _rename_lot(lot):
    Lot.objects.filter(pk=lot.pk).update(title="Parc renouvelé 2027")
    return "Parc renouvelé 2027"


@pytest.mark.parametrize(
    "bulk_write",
    [_recycle_in_bulk, _import_erasures_in_bulk, _import_manifest_in_bulk, _rename_operator, _rename_lot],
)
def test_a_write_that_sends_no_signal_still_reaches_the_next_download(client, lot, bulk_write):
    url = f"/dons/lots/{lot.pk}/certificat.pdf"
    assert client.get(url).status_code == 200
    first = ErasureCertificate.objects.get()

    expected = bulk_write(lot)
    response = client.get(url)

    assert response.status_code == 200
    assert expected in pdf_text(response.content)
    assert ErasureCertificate.objects.latest("pk").pk != first.pk


def test_a_second_download_builds_nothing_and_costs_a_few_queries(client, lot, django_assert_max_num_queries):
    url = f"/dons/lots/{lot.pk}/certificat.pdf"
    first = client.get(url)

    with mock.patch.object(
        certificates, "certificate_content", wraps=certificates.certificate_content
    ) as built:
        # Session and user, the lot and its access, the four reads of the fingerprint, the certificate, its file.
        with django_assert_max_num_queries(10):
            second = client.get(url)

    assert built.call_count == 0
    assert second.status_code == 200 and second.content == first.content


def test_the_task_after_a_download_reuses_the_certificate_without_building_it(client, lot):
    ErasureRecordFactory(device=lot.devices.get(serial="PF3ABC13"), operator=lot.member)
    client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    with mock.patch.object(
        certificates, "certificate_content", wraps=certificates.certificate_content
    ) as built:
        certificate = stored.prepare(lot.pk)

    assert built.call_count == 0 and certificate == ErasureCertificate.objects.get()


def test_data_that_moves_while_the_content_is_built_is_not_recorded_as_built(client, lot):
    issue = certificates.issue_certificate

    def issue_then_recycle(**kwargs):
        certificate = issue(**kwargs)
        _recycle_in_bulk(lot)  # another worker's write, after the content was read
        return certificate

    with mock.patch.object(certificates, "issue_certificate", side_effect=issue_then_recycle):
        client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    assert ErasureCertificate.objects.get().lot_fingerprint == ""

    response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    assert "Recyclé via la filière Ecologic" in pdf_text(response.content)
