"""A refund after a swap: the household paid for the first device, the replacement was free; giving the
replacement back pays back what the household paid for the first one, once."""

import pytest

from reuse.aftercare.enums import ReturnedTo, TicketStatus
from reuse.aftercare.services import tickets, triage
from reuse.claims.enums import LedgerKind, PaymentStatus
from reuse.claims.models import LedgerEntry, Refund
from tests.aftercare.helpers import handed_over, swap_for_a_spare

pytestmark = pytest.mark.django_db


def swapped_and_handed_over():
    """50 € paid at the counter for the first device, swapped under warranty for a free replacement."""
    claim, technician = handed_over()
    return claim, swap_for_a_spare(claim, technician, "Ne démarre plus"), technician


def test_giving_back_the_replacement_pays_back_what_was_paid_for_the_first_device(programme):
    claim, replacement, technician = swapped_and_handed_over()
    assert claim.payments.get().amount_cents == 5000 and replacement.price_cents == 0
    second = tickets.open_ticket(actor=claim.beneficiary, claim_id=replacement.pk, description="Écran noir")

    triage.refund(actor=technician, ticket_id=second.pk, returned_to=ReturnedTo.PARTS)

    second.refresh_from_db()
    assert second.status == TicketStatus.REFUNDED
    assert claim.payments.get().status == PaymentStatus.REFUNDED
    refunded = LedgerEntry.objects.filter(kind=LedgerKind.REFUNDED).values_list("amount_cents", flat=True)
    assert list(refunded) == [-5000]
    assert Refund.objects.get().amount_cents == 5000
    assert "50" in second.events.latest("pk").shown_note  # the household is told what it gets back


def test_a_second_swap_then_refund_still_pays_back_once(programme):
    claim, replacement, technician = swapped_and_handed_over()
    third_claim = swap_for_a_spare(replacement, technician, "Écran noir")
    third = tickets.open_ticket(actor=claim.beneficiary, claim_id=third_claim.pk, description="Clavier")

    triage.refund(actor=technician, ticket_id=third.pk, returned_to=ReturnedTo.PARTS)

    assert list(
        LedgerEntry.objects.filter(kind=LedgerKind.REFUNDED).values_list("amount_cents", flat=True)
    ) == [-5000]
