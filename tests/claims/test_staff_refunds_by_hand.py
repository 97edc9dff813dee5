"""A refund Stripe never took, left to staff (« À traiter par l’équipe »), given back by hand.

Before: the money a refund left to staff still owed the household was not « owed another way », so the admin's
« Rendu autrement » action was not offered and `hand_refunds.record` refused any amount: staff could only close it
from the Stripe Dashboard, and a household whose card was closed could not be paid back through Rebond at all.
Now the one rule (`Payment.owed_another_way_cents`) counts a request Stripe holds nothing of once it is staff's;
recording the money given back ends the request, so no task or later cancellation asks Stripe for it again, and
Stripe answering late for it books nothing twice. Stripe is the in-memory `FakeStripe`.
"""

import pytest
from django.db.models import Sum

from reuse.claims import tasks
from reuse.claims.enums import HandRefundMethod, LedgerKind, RefundStatus
from reuse.claims.models import Claim, ClaimEvent, LedgerEntry, Refund
from reuse.claims.services import hand_refunds
from reuse.errors import DomainError
from tests.claims.helpers import PRICE, deliver
from tests.claims.test_refunds_that_wait import held_at_stripe_then_left_to_staff, left_to_staff
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def give_back(claim, amount, reference="VIR-7"):
    return hand_refunds.record(
        claim_id=claim.pk,
        by=UserFactory(is_staff=True),
        amount_cents=amount,
        method=HandRefundMethod.TRANSFER,
        reference=reference,
    )


def kept(payment) -> int:
    return LedgerEntry.objects.filter(payment=payment).aggregate(total=Sum("amount_cents"))["total"]


def test_staff_give_back_by_hand_a_refund_left_to_them_once(programme, fake, monkeypatch):
    household, claim, payment, row = left_to_staff(fake, monkeypatch)
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE

    give_back(claim, 2000, "VIR-1")
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE - 2000
    give_back(claim, PRICE - 2000, "VIR-2")

    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    assert Refund.objects.get(pk=row.pk).status not in (RefundStatus.NEEDS_STAFF, RefundStatus.PENDING)
    assert kept(payment) == 0  # paid PRICE, given back PRICE by hand
    with pytest.raises(DomainError):
        give_back(claim, 1)
    asked = fake.asked
    for _run in range(3):
        tasks.retry_refunds()
    assert fake.asked == asked and fake.given_back(payment.stripe_payment_intent) == 0


def test_staff_find_the_action_on_a_claim_whose_refund_is_left_to_them(programme, fake, monkeypatch, client):
    household, claim, payment, row = left_to_staff(fake, monkeypatch)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    home = client.get("/admin/").content.decode()  # the admin home's panel of money owed to households
    panel = home[home.index('id="claims-refunds-title"') :]
    assert f"n° {claim.pk}" in panel and "À traiter par l’équipe" in panel
    action = f"/admin/claims/claim/give-back-by-hand/{claim.pk}/"
    assert "45,00\xa0€" in client.get(action).content.decode()
    done = client.post(action, {"amount": "45,00", "method": "cash", "reference": "reçu 3"})
    assert done.status_code == 302
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0


@pytest.mark.parametrize("stripe_says", ["failed", "succeeded"])
def test_stripe_answering_late_for_a_request_given_back_by_hand_books_nothing_twice(
    programme, fake, monkeypatch, stripe_says
):
    household, claim, payment, row = left_to_staff(fake, monkeypatch)
    give_back(claim, PRICE)
    # Stripe had taken one of the requests after all (its answer was lost), and now tells how it ended.
    made = fake.dashboard(
        payment.stripe_payment_intent, PRICE, metadata={"refund_id": str(row.pk)}, status="pending"
    )
    deliver("refund.created", made)
    deliver(f"refund.{'failed' if stripe_says == 'failed' else 'updated'}", fake.end(made["id"], stripe_says))
    deliver("charge.refunded", {"payment_intent": payment.stripe_payment_intent, "id": "ch_1"})  # a repeat

    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    by_hand = LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.GIVEN_BACK_BY_HAND).count()
    by_card = LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.REFUNDED).count()
    if stripe_says == "failed":
        assert (by_hand, by_card, kept(payment)) == (1, 0, 0)
    else:
        # The card refund went through too: the household got the money twice, booked as it happened (each
        # movement once), and staff are told to settle it with the household.
        assert (by_hand, by_card, kept(payment)) == (1, 1, -PRICE)
        notes = " ".join(event.shown_note for event in ClaimEvent.objects.filter(claim=claim))
        assert "deux fois" in notes


def test_a_refund_stripe_holds_pending_is_not_given_back_by_hand(programme, fake, monkeypatch):
    """Stripe may still pay it: staff cancel it at Stripe first (then it is owed another way), never pay twice."""
    payment, row, made = held_at_stripe_then_left_to_staff(fake, monkeypatch)
    claim = payment.claim

    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    with pytest.raises(DomainError):
        give_back(claim, PRICE)
    deliver("refund.updated", fake.end(made["id"], "canceled"))  # staff cancel it at Stripe
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE
