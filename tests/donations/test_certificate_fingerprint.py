"""The certificate a donor downloads is built from the lot's data as it is at the download, whatever path wrote it
(bulk updates and inserts send no signal), and is not built again while that data has not changed."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.validators import MinValueValidator
from django.db import transaction
from django.db.models import QuerySet

from donations.models import ErasureCertificate, Lot, LotItem
from inventory.donor_reports import certificates, fingerprint, stored
from inventory.enums import DeviceState
from inventory.models import Device, ErasureRecord, ErasureReport
from reuse.accounts.models import Organisation, User
from tests.documents import pdf_text
from tests.donations.certificate_helpers import half_erased_lot
from tests.factories.donations import LotItemFactory
from tests.factories.inventory import ErasureRecordFactory, ErasureReportFactory

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


def _changed(field, value):
    """Another value of `field`'s type than `value`, as a bulk update or a hand fix in SQL would write it."""
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return not value
    if kind == "DateTimeField":
        return datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.UTC)
    if kind == "DateField":
        return datetime.date(2020, 1, 2)
    if kind == "DecimalField":
        return Decimal("13.3")
    if kind == "JSONField":
        return ["changed"]
    if kind in ("CharField", "TextField", "FileField"):
        # Within the column's length (PostgreSQL refuses a longer value where SQLite keeps it).
        text = f"{field.name[:4]}-z"[-(field.max_length or 6) :]
        return text if text != value else text.upper()
    # An integer within the field's bounds (the database checks them).
    low = max([v.limit_value for v in field.validators if isinstance(v, MinValueValidator)], default=1)
    return low + 1 if value == low else low


def test_the_certificate_reads_no_column_the_fingerprint_leaves_out(lot):
    """A column certificate_content reads and the fingerprint does not would let a download serve a certificate
    built before that column changed: each column left out is changed, and the content stays the same."""
    report = ErasureReportFactory(workshop=lot.workshop, uploaded_by=lot.member)
    device = lot.devices.get(serial="PF3ABC13")
    ErasureRecordFactory(
        device=device, operator=lot.member, report=report, passes=1, method="destroy", notes="Broyé, BSD-9"
    )
    Device.objects.filter(pk=device.pk).update(state=DeviceState.RECYCLED, recycle_channel="Ecologic")
    LotItemFactory(lot=lot, serial="PF3ABC12"), LotItemFactory(lot=lot, serial="NONRECU-42")
    fingerprinted = {
        Lot: ({"title"}, {"pk": lot.pk}),
        Organisation: ({"name", "siret"}, {"pk__in": [lot.donor_id, lot.workshop_id]}),
        Device: (set(fingerprint.DEVICE_COLUMNS), {"lot": lot}),
        ErasureRecord: (set(fingerprint.ERASURE_COLUMNS), {"device__lot": lot}),
        User: ({"first_name", "last_name"}, {"pk": lot.member.pk}),
        ErasureReport: ({"filename", "sha256", "tool", "tool_version"}, {"pk": report.pk}),
        LotItem: (set(fingerprint.ITEM_COLUMNS), {"lot": lot}),
    }
    expected = certificates.content_hash(certificates.certificate_content(lot))
    left_out = []
    for model, (columns, rows) in fingerprinted.items():
        for field in model._meta.concrete_fields:
            if field.primary_key or field.is_relation or field.name in columns:
                continue
            # The plain QuerySet: journals refuse update() through their manager, a fix in SQL does not.
            current = QuerySet(model).filter(**rows).values_list(field.attname, flat=True).first()
            with transaction.atomic():
                QuerySet(model).filter(**rows).update(**{field.attname: _changed(field, current)})
                fresh = Lot.objects.select_related("donor", "workshop").get(pk=lot.pk)
                if certificates.content_hash(certificates.certificate_content(fresh)) != expected:
                    left_out.append(f"{model.__name__}.{field.name}")
                transaction.set_rollback(True)

    assert left_out == []
