"""The admin's listings of donations and inventory make the same number of queries whatever the number of rows.

« Reçus fiscaux » asked the database once per row for the receipt that replaced a cancelled one (« Remplacé par »)
and once more for the one it replaces and for the donor; the other listings read each row's lot, donor, workshop,
organisation or device one query at a time. Each listing is counted with 3 rows and with 30 (its first page then
shows 20): the counts must be equal."""

import pytest
from django.contrib.auth.models import Group

from donations import receipts
from donations.enums import ImportState, ManifestColumn, ReceiptReviewStatus
from donations.models import (
    ColumnChoice,
    HeaderAlias,
    ImportJob,
    ReceiptValueCap,
    TaxReceiptReview,
    TypeChoice,
)
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import (
    DeviceFactory,
    ErasureRecordFactory,
    ErasureReportFactory,
    WorkshopProfileFactory,
)
from tests.page_queries import steady_queries

pytestmark = pytest.mark.django_db


def _receipt(workshop, legal_form="SARL"):
    lot = LotFactory(workshop=workshop, received=True)
    item = LotItemFactory(lot=lot, net_book_value_cents=15000)
    DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
    return receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form=legal_form)


def tax_receipts(n: int) -> None:
    """`n` receipts as staff meet them: a third of the lots had theirs cancelled and replaced (two rows each)."""
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
    workshop = WorkshopProfileFactory(may_issue_tax_receipts=True).organisation
    staff = UserFactory(is_staff=True)
    pairs = n // 3
    for _ in range(pairs):
        wrong = _receipt(workshop)
        receipts.cancel_tax_receipt(receipt_id=wrong.pk, staff=staff, reason="Forme juridique erronée : SAS")
        receipts.issue_tax_receipt(lot=wrong.lot, user=wrong.lot.created_by, donor_legal_form="SAS")
    for _ in range(n - 2 * pairs):
        _receipt(workshop)


def lots(n):
    LotFactory.create_batch(n, assigned=True)


def imports(n):
    for i in range(n):
        lot = LotFactory()
        ImportJob.objects.create(
            lot=lot, created_by=lot.created_by, filename=f"parc-{i}.csv", state=ImportState.DONE, progress=100
        )


def column_choices(n):
    for i in range(n):
        organisation = OrganisationFactory(donor=True)
        ColumnChoice.objects.create(
            organisation=organisation,
            updated_by=UserFactory(),
            header=f"N° série {i}",
            field=ManifestColumn.SERIAL,
        )


def type_choices(n):
    for i in range(n):
        TypeChoice.objects.create(
            organisation=OrganisationFactory(donor=True),
            updated_by=UserFactory(),
            value=f"Portable {i}",
            type="laptop",
        )


def reviews(n):
    for _ in range(n):
        lot = LotFactory(received=True)
        TaxReceiptReview.objects.create(
            lot=lot,
            status=ReceiptReviewStatus.PENDING,
            donor_legal_form="SA",
            requested_by=lot.created_by,
            declared_cents=900000,
            valued_cents=150000,
            outliers=1,
        )


def aliases(n):
    for _ in range(n):
        HeaderAlias.objects.create(alias=f"Numéro d’inventaire {HeaderAlias.objects.count()}", field="serial")


LISTINGS = {
    "/admin/tax_receipts/": tax_receipts,
    "/admin/lots/": lots,
    "/admin/manifest_imports/": imports,
    "/admin/manifest_column_choices/": column_choices,
    "/admin/manifest_type_choices/": type_choices,
    "/admin/tax_receipt_reviews/": reviews,
    "/admin/devices/": DeviceFactory.create_batch,
    "/admin/erasures/": ErasureRecordFactory.create_batch,
    "/admin/erasure_reports/": ErasureReportFactory.create_batch,
    "/admin/workshops/": WorkshopProfileFactory.create_batch,
    "/admin/manifest_aliases/": aliases,
}


@pytest.fixture
def coordinator(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return user


def test_the_tax_receipts_list_makes_as_many_queries_for_3_receipts_as_for_30(client, coordinator):
    tax_receipts(3)
    few = steady_queries(client, "/admin/tax_receipts/")
    assert "Remplacé par" in client.get("/admin/tax_receipts/").content.decode()
    tax_receipts(27)
    assert steady_queries(client, "/admin/tax_receipts/") == few


@pytest.mark.parametrize("url", LISTINGS)
def test_each_listing_makes_as_many_queries_for_3_rows_as_for_30(client, coordinator, url):
    LISTINGS[url](3)
    few = steady_queries(client, url)
    LISTINGS[url](27)
    assert steady_queries(client, url) == few
