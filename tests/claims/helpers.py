"""Small steps the claims tests (and the apps beside claims) repeat."""

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings
from django.db import transaction

from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentMethod, PaymentStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, Refund
from reuse.claims.services import reservations, waitlist
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.services.conftest import card

# The solidarity price of the card tests' device, in cents.
PRICE = 4500


def join(actor, *, device_type="laptop", max_price_cents=None, **declared):
    """`actor` joins the waiting list, declaring no priority situation unless told (`no_computer=True`...)."""
    flags = {"lives_in_qpv_zrr": False, "no_computer": False, "children_at_school": False, **declared}
    return waitlist.join_waitlist(
        actor=actor, device_type=device_type, max_price_cents=max_price_cents, **flags
    )


def confirmed_claim(workshop=None, household=None) -> Claim:
    """`household`'s (or a new eligible household's) claim of a free device listed by `workshop` (or a new one):
    confirmed at once, nothing to pay."""
    household = household or eligible()
    device = DeviceFactory(listed=True, free=True, **({"workshop": workshop} if workshop else {}))
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    assert claim.status == ClaimStatus.CONFIRMED
    return claim


def chose_to_pay_at_the_workshop(client, price_cents: int) -> Claim:
    """An eligible household's claim of a listed device at `price_cents`, that the household, signed in on `client`,
    chose to pay at the workshop from the claim's page."""
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=price_cents).pk
    )
    client.force_login(household)
    client.post(f"/demandes/{claim.pk}/payer/atelier/")
    return claim


def signed(event: dict, secret: str = "") -> tuple[bytes, str]:
    """A webhook event's body and its Stripe-Signature header, signed as Stripe signs them (HMAC-SHA256 of
    "timestamp.body" with the endpoint's secret)."""
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    key = (secret or settings.STRIPE_WEBHOOK_SECRET).encode()
    signature = hmac.new(key, f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={stamp},v1={signature}"


def deliver(kind: str, obj, event_id: str = ""):
    """Stripe delivering a signed `kind` event about `obj` (a Stripe object or its dict) to Rebond."""
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    event = {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": data},
    }
    payload, signature = signed(event)
    return payments.receive_webhook(payload=payload, signature=signature)


def card_under_way(household, referrer=None) -> tuple[Claim, Payment]:
    """`household`'s claim of a device at PRICE (made by `referrer` on its behalf, if given) and its card payment,
    whose intent the bank is paying (no webhook yet): made in the database alone, for the tests whose Stripe is in
    memory."""
    device_id = DeviceFactory(listed=True, price_cents=PRICE).pk
    if referrer is None:
        claim = reservations.create_claim(actor=household, device_id=device_id)
    else:
        claim = reservations.create_claim(actor=referrer, beneficiary=household, device_id=device_id)
    payment = Payment.objects.create(
        claim=claim,
        method=PaymentMethod.CARD,
        amount_cents=PRICE,
        status=PaymentStatus.PENDING,
        idempotency_key=f"rebond-claim-{claim.pk}-{uuid.uuid4().hex[:8]}",
        stripe_payment_intent=f"pi_{uuid.uuid4().hex[:16]}",
    )
    return claim, payment


def intent_paid(payment) -> dict:
    """The intent of `payment` as `payment_intent.succeeded` carries it: paid in full, in euros."""
    return {"id": payment.stripe_payment_intent, "amount": PRICE, "amount_received": PRICE, "currency": "eur"}


def pay_by_card(stripe_at, household, claim) -> Payment:
    """The household pays by card at Stripe (the webhook not delivered yet)."""
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    answer = payments.attach_card(payment=payment, card_id=card(stripe_at, "4242424242424242"))
    assert answer == {"status": "succeeded"}
    return payment


def confirmed_by_card(stripe_at, reserved) -> tuple:
    """The `reserved` claim paid by card at Stripe and confirmed by Stripe's signed webhook: the household, the
    claim and the payment."""
    household, claim = reserved
    payment = pay_by_card(stripe_at, household, claim)
    assert deliver("payment_intent.succeeded", intent_of(payment)).outcome == "confirmed"
    return household, claim, payment


def intent_of(payment):
    return payments._stripe().PaymentIntent.retrieve(payment.stripe_payment_intent)


def charge_of(payment):
    charge = intent_of(payment).latest_charge  # an id at Stripe, the charge itself at localstripe
    return payments._stripe().Charge.retrieve(getattr(charge, "id", charge))


def dashboard_refund(payment, amount):
    """Staff refund from the Stripe Dashboard: no metadata, nothing asked through Rebond."""
    return payments._stripe().Refund.create(payment_intent=payment.stripe_payment_intent, amount=amount)


def refunded_in_ledger(claim) -> list[int]:
    return list(
        LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.REFUNDED)
        .order_by("pk")
        .values_list("amount_cents", flat=True)
    )


def asked_but_unanswered(claim, actor) -> tuple[Refund, object]:
    """Rebond writes its refund row for what is left of the claim's card payment and Stripe makes the refund, but
    Stripe's answer never reaches Rebond (or comes after the refund's events): the row and Stripe's refund."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        (row,) = payments.open_refunds(claim=locked, actor=actor)
    made = payments._stripe().Refund.create(
        payment_intent=row.payment.stripe_payment_intent,
        amount=row.amount_cents,
        metadata={"refund_id": str(row.pk)},
    )
    return row, made


def paid_claim(fake) -> tuple:
    """A household's claim of a device at PRICE, paid by card (at the in-memory `fake` Stripe) and confirmed by
    Stripe's signed webhook."""
    household = eligible()
    claim, payment = card_under_way(household)
    fake.charge(payment.stripe_payment_intent, PRICE)
    assert deliver("payment_intent.succeeded", intent_paid(payment)).outcome == "confirmed"
    return household, claim, payment
