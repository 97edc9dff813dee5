"""Staff's write paths to the erasure evidence and to lots keep the rules the workshop's own paths keep: the
rule lives where the rows are written (the model, the service), not in each screen."""

import pytest

from donations import services
from donations.enums import LotStatus
from donations.models import Lot
from inventory.models import ErasureRecord, ErasureReport
from reuse.errors import InvalidInput
from reuse.journal import AppendOnlyError
from tests import fixtures
from tests.factories.accounts import OrganisationFactory
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory, workshop_with_member
from tests.inventory.bench_samples import imported

pytestmark = pytest.mark.django_db
staff_client = fixtures.staff_client


def refused_every_way(row, **change):
    """Each way code could rewrite or remove the row (the row's save and delete, the queryset's update and
    delete) raises."""
    same_row = type(row).objects.filter(pk=row.pk)
    for name, value in change.items():
        setattr(row, name, value)
    for attempt in (row.save, lambda: same_row.update(**change), row.delete, same_row.delete):
        with pytest.raises(AppendOnlyError):
            attempt()


def test_an_erasure_record_a_certificate_names_is_never_edited_nor_deleted():
    # The donor's certificate prints each record (serial, method, verification) and its report's SHA-256: a
    # failed pass turned « verified » afterwards, or a record removed, would make the certificate lie.
    device = DeviceFactory(listed=True, erased__verified=True, erased__media_serial="S3Z1NB0K512345A")
    record = ErasureRecord.objects.get(device=device)

    refused_every_way(record, verified=False)

    assert ErasureRecord.objects.filter(pk=record.pk, verified=True, media_serial="S3Z1NB0K512345A").exists()


def test_the_original_report_whose_digest_a_certificate_prints_is_never_edited_nor_deleted(
    workshop, technician, fleet
):
    [outcome] = imported(workshop, technician, "erasure_report.json", level="purge")
    assert outcome.ok, outcome.message
    report = ErasureReport.objects.get(workshop=workshop)
    digest = report.sha256

    refused_every_way(report, sha256="0" * 64)

    assert ErasureReport.objects.get(pk=report.pk).sha256 == digest


def test_a_lot_is_never_offered_to_a_workshop_rebond_has_not_verified(staff_client):
    # The admin's form lists only verified workshops, but the service it calls (also the automatic rule's and
    # any script's) accepted any workshop: one still under review (or suspended) would receive a donor's
    # devices, data included, before anyone checked who it is.
    pending = OrganisationFactory(workshop=True, pending=True)
    lot = LotFactory(submitted=True)

    with pytest.raises(InvalidInput):
        services.assign_lot(lot=lot, workshop=pending, actor=lot.created_by)

    lot = Lot.objects.get(pk=lot.pk)
    assert lot.workshop_id is None and lot.status == LotStatus.SUBMITTED
    approved, _member = workshop_with_member()
    response = staff_client.post(f"/admin/lots/edit/{lot.pk}/", {"workshop": approved.pk})
    assert response.status_code == 302
    assert Lot.objects.get(pk=lot.pk).workshop_id == approved.pk
