"""Two lots of one workshop get their tax receipts at the same moment, on PostgreSQL: each gets the next number of
the workshop's year (a receipt's number is an order number the tax administration reads), neither is refused."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from donations import receipts
from donations.models import ReceiptValueCap, TaxReceipt
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def received_lot(workshop, donor, user):
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    item = LotItemFactory(lot=lot, net_book_value_cents=10000)
    DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
    return lot


def test_two_receipts_of_one_workshop_issued_at_once_take_consecutive_numbers():
    assert connection.vendor == "postgresql"
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
    workshop, _technician = workshop_with_member(may_issue_tax_receipts=True)
    year = timezone.localdate().year
    for attempt in range(4):
        donor, user = donor_with_member()
        lots = [received_lot(workshop, donor, user), received_lot(workshop, donor, user)]
        barrier = threading.Barrier(2)
        results = {}

        def issue(lot, barrier=barrier, user=user, results=results):
            try:
                barrier.wait(10)
                results[lot.pk] = receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SAS")
            except Exception as exc:  # each side's outcome is what the test compares
                results[lot.pk] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(lot,)) for lot in lots]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert all(isinstance(result, TaxReceipt) for result in results.values()), results
        numbers = sorted(receipt.number for receipt in results.values())
        assert numbers == [
            f"{year}-{workshop.pk}-{2 * attempt + 1:04d}",
            f"{year}-{workshop.pk}-{2 * attempt + 2:04d}",
        ]
    assert TaxReceipt.objects.count() == 8


def test_a_lot_asked_twice_at_once_after_a_cancellation_gets_one_replacement_with_the_next_number():
    """The donor double-clicks « Demander le reçu » after staff cancelled the first: one replacement, numbered
    next, the cancelled one's number kept (no gap, no duplicate)."""
    assert connection.vendor == "postgresql"
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
    workshop, technician = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = received_lot(workshop, donor, user)
    first = receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SARL")
    receipts.cancel_tax_receipt(receipt_id=first.pk, staff=technician, reason="Forme juridique erronée")
    barrier = threading.Barrier(2)
    results = []

    def ask():
        try:
            barrier.wait(10)
            results.append(receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SAS"))
        except Exception as exc:  # each side's outcome is what the test compares
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert all(isinstance(result, TaxReceipt) for result in results), results
    assert results[0].pk == results[1].pk
    year = timezone.localdate().year
    assert sorted(TaxReceipt.objects.filter(lot=lot).values_list("number", flat=True)) == [
        f"{year}-{workshop.pk}-0001",
        f"{year}-{workshop.pk}-0002",
    ]
    assert TaxReceipt.objects.valid().get(lot=lot).replaces_id == first.pk
