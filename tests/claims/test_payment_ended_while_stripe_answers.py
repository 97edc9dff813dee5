"""A card payment whose claim ends while Stripe is creating its intent.

The household presses « Payer »; while Stripe answers (a slow line: seconds), the claim is cancelled in another tab
(or its hold expires), which cancels the payment row. Before, the answer was then written over the row by a bare
UPDATE: the cancelled payment came back « pending » with a client secret handed to the browser, a card could be
confirmed for a claim that no longer exists. Now the move goes through the payments' lifecycle, under the row's
lock: the payment stays cancelled and the household is told it is no longer under way.
"""

import pytest
import stripe

from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, PaymentStatus
from reuse.claims.models import Claim, Payment
from reuse.claims.services import reservations
from reuse.errors import IllegalTransition

pytestmark = pytest.mark.django_db


def test_a_payment_cancelled_while_stripe_makes_its_intent_stays_cancelled(reserved, monkeypatch):
    household, claim = reserved
    create = stripe.PaymentIntent.create

    def slow_answer(**params):  # Stripe's own call, once the other tab has cancelled the claim
        reservations.cancel_claim(claim_id=claim.pk, actor=household)
        return create(**params)

    monkeypatch.setattr(stripe.PaymentIntent, "create", slow_answer)

    with pytest.raises(IllegalTransition) as refused:
        payments.start_card_payment(claim_id=claim.pk, actor=household)

    assert "plus en cours" in str(refused.value.message)
    payment = Payment.objects.get(claim=claim)
    assert payment.status == PaymentStatus.CANCELLED and not payment.client_secret
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.CANCELLED
