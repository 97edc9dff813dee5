"""A tax receipt found wrong (the donor's legal form mistyped, a device valued twice) is cancelled with a reason and
replaced, never edited nor deleted: the accountant's filed receipt keeps its number, the replacement takes the next
one of the workshop's year and says which receipt it cancels and replaces (reference-facts.md: cerfa 16216*02;
numbering without gaps nor duplicates)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from donations import receipts
from donations.models import ReceiptValueCap, TaxReceipt
from reuse.errors import Conflict, InvalidInput
from tests.documents import pdf_text
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db


def laptop_lot(*, declared_cents: int, cap_cents: int):
    """A received lot of one laptop declared at `declared_cents`, laptops capped at `cap_cents`."""
    workshop, _ = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": cap_cents})
    item = LotItemFactory(lot=lot, net_book_value_cents=declared_cents)
    DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
    return lot


@pytest.fixture
def issued(client):
    lot = laptop_lot(declared_cents=15000, cap_cents=200000)
    client.force_login(lot.created_by)
    client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SARL"})
    return TaxReceipt.objects.get(lot=lot)


@pytest.fixture
def staff():
    """A coordinator: the staff group that holds `donations.cancel_taxreceipt`."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


def test_a_cancelled_receipt_keeps_its_number_and_the_new_one_replaces_it(client, issued, staff):
    lot = issued.lot
    receipts.cancel_tax_receipt(receipt_id=issued.pk, staff=staff, reason="Forme juridique erronée : SAS")

    assert receipts.receipt_status(lot) == "available"
    waiting = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    assert (
        f'data-receipt-cancelled="{issued.number}"' in waiting and "Forme juridique erronée : SAS" in waiting
    )
    client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    issued.refresh_from_db()
    assert issued.cancelled_at is not None and issued.cancel_reason == "Forme juridique erronée : SAS"
    replacement = TaxReceipt.objects.get(lot=lot, cancelled_at__isnull=True)
    year = timezone.localdate().year
    assert (issued.number, replacement.number) == (
        f"{year}-{lot.workshop_id}-0001",
        f"{year}-{lot.workshop_id}-0002",
    )
    assert replacement.replaces == issued and replacement.donor_legal_form == "SAS"

    text = pdf_text(client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").content)
    assert replacement.number in text
    assert f"Ce reçu annule et remplace le reçu n° {issued.number}" in text
    page = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    assert f"annule et remplace le reçu n° {issued.number}" in page
    assert "Forme juridique erronée : SAS" in page


def test_the_cancelled_receipt_pdf_says_it_is_cancelled(issued, staff):
    from donations import receipt_pdf

    receipts.cancel_tax_receipt(receipt_id=issued.pk, staff=staff, reason="Doublon")
    issued.refresh_from_db()
    text = pdf_text(receipt_pdf.render_pdf(issued))
    assert "REÇU ANNULÉ" in text and "Doublon" in text


def test_a_cancellation_needs_a_reason_and_happens_once(issued, staff):
    with pytest.raises(InvalidInput):
        receipts.cancel_tax_receipt(receipt_id=issued.pk, staff=staff, reason="  ")
    issued.refresh_from_db()
    assert issued.cancelled_at is None
    receipts.cancel_tax_receipt(receipt_id=issued.pk, staff=staff, reason="Erreur de valeur")
    with pytest.raises(Conflict):
        receipts.cancel_tax_receipt(receipt_id=issued.pk, staff=staff, reason="Encore")


def test_staff_cancel_a_receipt_by_its_number_from_the_command_line(issued, staff):
    with pytest.raises(CommandError):
        call_command("cancel_tax_receipt", "1999-0-0001", "--reason", "x", "--staff", staff.email)
    call_command("cancel_tax_receipt", issued.number, "--reason", "Doublon", "--staff", staff.email)
    issued.refresh_from_db()
    assert issued.cancelled_at is not None and issued.cancelled_by == staff


def test_the_command_line_asks_the_same_permission_as_the_admin(issued):
    """A document reviewer is staff too, but may not cancel a receipt in the admin: nor from the shell."""
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    with pytest.raises(CommandError, match="annuler"):
        call_command("cancel_tax_receipt", issued.number, "--reason", "Doublon", "--staff", reviewer.email)
    issued.refresh_from_db()
    assert issued.cancelled_at is None


def test_a_receipt_held_for_review_then_cancelled_is_reviewed_again_when_asked_again(staff):
    """A value above its type's cap held the first receipt for staff; once that receipt is cancelled, the donor's
    new request waits for a new review (the approved one no longer vouches for it) and approving it issues the
    replacement."""
    from donations.enums import ReceiptReviewStatus
    from donations.models import TaxReceiptReview

    lot = laptop_lot(declared_cents=90000, cap_cents=20000)
    user = lot.created_by
    review = receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SARL")
    first = receipts.approve_review(review_id=review.pk, staff=staff)
    receipts.cancel_tax_receipt(receipt_id=first.pk, staff=staff, reason="Forme juridique erronée")

    again = receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SAS")
    assert isinstance(again, TaxReceiptReview) and again.status == ReceiptReviewStatus.PENDING
    assert again.reviewed_by is None and again.donor_legal_form == "SAS"
    replacement = receipts.approve_review(review_id=again.pk, staff=staff)
    assert replacement.replaces == first and replacement.amount_cents == 20000
