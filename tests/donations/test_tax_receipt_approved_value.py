"""A value above its type's cap that staff verified and approved is the value the receipt counts.

The cap is a plausibility check, not a valuation (reference-facts.md: a gift in kind is valued at cost price, or net
book value for fixed assets): a donor whose recent laptop is correctly declared at 900 € got a receipt at the 250 €
cap even after staff approved the 900 €, under-stating the gift. The approval is journalled, line by line.
"""

import pytest
from django.urls import reverse

from donations import receipts
from donations.models import ReceiptValueApproval, ReceiptValueCap, TaxReceipt
from reuse.journal import AppendOnlyError
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(client):
    """A received lot of two laptops, one declared at 900 € (cap 250 €), held for staff."""
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 25000})
    workshop, _ = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    normal = LotItemFactory(lot=lot, net_book_value_cents=12000)
    recent = LotItemFactory(lot=lot, net_book_value_cents=90000)
    for item in (normal, recent):
        DeviceFactory(lot=lot, workshop=workshop, serial=item.serial, type=item.type)
    review = receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SAS")
    return lot, recent, review


def test_the_value_staff_approve_above_the_cap_is_the_value_on_the_receipt(client, held):
    lot, recent, review = held
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("donations_approve_receipt", args=[review.pk])
    page = client.get(url).content.decode()
    # Each line above its cap has a labelled box: the declared value, verified, counts.
    assert f'name="approved" value="{recent.pk}"' in page and f'for="approve-{recent.pk}"' in page
    assert client.post(url, {"approved": [str(recent.pk)]}).status_code == 302

    receipt = TaxReceipt.objects.get(lot=lot)
    assert receipt.amount_cents == 12000 + 90000
    assert [d["value_cents"] for d in receipt.content["valuation"]] == [12000, 90000]
    # Every path that values the lot reads the same approval.
    assert receipts.valuation(lot)["value_cents"] == 102000
    approval = ReceiptValueApproval.objects.get()
    assert (approval.item, approval.approved_by, approval.approved_unit_cents, approval.cap_cents) == (
        recent,
        staff,
        90000,
        25000,
    )
    assert approval.receipt == receipt
    with pytest.raises(AppendOnlyError):
        approval.save()


def test_an_approval_vouches_only_for_the_receipt_it_issued(held):
    """Once that receipt is cancelled, the donor's new request waits for staff again, and a value not approved
    this time stays at the cap."""
    lot, recent, review = held
    staff = UserFactory(is_staff=True, is_superuser=True)
    first = receipts.approve_review(review_id=review.pk, staff=staff, approved_items=[recent.pk])
    assert first.amount_cents == 102000
    receipts.cancel_tax_receipt(receipt_id=first.pk, staff=staff, reason="Forme juridique erronée")
    assert receipts.valuation(lot)["value_cents"] == 12000 + 25000
    again = receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SA")
    replacement = receipts.approve_review(review_id=again.pk, staff=staff)
    assert replacement.amount_cents == 12000 + 25000


def test_staff_cannot_approve_a_line_that_was_not_above_its_cap(held):
    lot, _recent, review = held
    normal = lot.items.get(net_book_value_cents=12000)
    staff = UserFactory(is_staff=True, is_superuser=True)
    from reuse.errors import InvalidInput

    with pytest.raises(InvalidInput):
        receipts.approve_review(review_id=review.pk, staff=staff, approved_items=[normal.pk, 999999])
    assert not TaxReceipt.objects.exists() and not ReceiptValueApproval.objects.exists()
