"""Card money as Stripe really moves it, against localstripe: what its events say is recorded once, in any order.

Stripe sends its events at least once and in no set order; staff may refund from the Stripe Dashboard, in part or
in whole, and Stripe then tells Rebond with `charge.refunded` and `refund.created`/`refund.updated`; a household
presses « Payer » twice or pays in two tabs; Stripe may be unreachable while a claim is cancelled. Whatever
happens, a claim is confirmed only when what is due was paid and kept, each refund is recorded against its claim
once, and money is given back once and in full.
"""

import pytest

from reuse.claims import payments
from reuse.claims.enums import LedgerKind, PaymentStatus
from reuse.claims.models import LedgerEntry, Payment
from reuse.claims.services import reservations
from tests.claims.helpers import deliver
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.services.conftest import card

pytestmark = pytest.mark.django_db

PRICE = 4500


@pytest.fixture
def reserved(programme, stripe_at):
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=PRICE).pk
    )
    return household, claim


def _pay(stripe_at, household, claim) -> Payment:
    """The household pays by card at Stripe (the webhook not delivered yet)."""
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    answer = payments.attach_card(payment=payment, card_id=card(stripe_at, "4242424242424242"))
    assert answer == {"status": "succeeded"}
    return payment


def _intent(payment):
    return payments._stripe().PaymentIntent.retrieve(payment.stripe_payment_intent)


def test_pressing_pay_twice_never_tells_the_household_its_card_was_refused(stripe_at, reserved):
    household, claim = reserved
    payment = _pay(stripe_at, household, claim)
    # The second press (or the second tab) reaches Stripe after the first paid the intent.
    again = payments.attach_card(payment=payment, card_id=card(stripe_at, "4242424242424242"))

    assert again == {"status": "succeeded"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.failure_message
    assert not LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_FAILED).exists()
    assert deliver("payment_intent.succeeded", _intent(payment)).outcome == "confirmed"
