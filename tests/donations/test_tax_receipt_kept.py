"""A tax receipt is a legal record (cerfa 16216*02, reference-facts.md): once issued it is cancelled with its
reason, never deleted, whoever tries (the model, a bulk delete, raw SQL), and its number stays taken: the
workshop's next receipt of the year takes the number after the highest one given, never one already printed."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from donations import receipt_guard, receipts
from donations.models import ReceiptValueCap, TaxReceipt
from reuse.journal import AppendOnlyError
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db


def received_lot(workshop):
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    item = LotItemFactory(lot=lot, net_book_value_cents=10000)
    DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
    return lot


@pytest.fixture
def workshop():
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
    organisation, _member = workshop_with_member(may_issue_tax_receipts=True)
    return organisation


def issue(lot):
    return receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS")


def test_a_receipt_refuses_to_be_deleted_one_by_one_or_in_bulk(workshop):
    receipt = issue(received_lot(workshop))
    with pytest.raises(AppendOnlyError, match="annul"):
        receipt.delete()
    with pytest.raises(AppendOnlyError, match="annul"):
        TaxReceipt.objects.filter(pk=receipt.pk).delete()
    assert TaxReceipt.objects.filter(pk=receipt.pk).exists()


def test_the_database_refuses_to_delete_a_receipt_too(workshop):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (donations/receipt_guard.py)")
    receipt = issue(received_lot(workshop))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM donations_taxreceipt WHERE id = %s", [receipt.pk])
    assert TaxReceipt.objects.filter(pk=receipt.pk).exists()


def test_the_next_number_follows_the_highest_even_after_a_row_went_missing(workshop):
    """A gap in the rows (a receipt removed by hand before the guard existed) must not hand out a number again:
    counting the rows would give the third lot the number the second one already printed."""
    first, second = issue(received_lot(workshop)), issue(received_lot(workshop))
    receipt_guard.uninstall()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM donations_taxreceipt WHERE id = %s", [first.pk])
    receipt_guard.install()
    third = issue(received_lot(workshop))
    year = timezone.localdate().year
    assert second.number == f"{year}-{workshop.pk}-0002"
    assert third.number == f"{year}-{workshop.pk}-0003"
