"""The money of one card payment adds up whatever Stripe, the bank, staff and the household do, in any order (a
stateful property test over the in-memory `FakeStripe`).

Moves: the household cancels (Rebond asks for the money back), its hold ends before the payment is told, Stripe
goes down and comes back, staff refund from the Dashboard (any amount, with Rebond's row id or not, succeeded or
pending), the bank ends a refund (succeeded, failed, canceled, or fails one that had succeeded), Stripe delivers an
event about a refund (current or stale copy, or one delivered before, again), the retry task runs; the bank takes
another amount than asked (the success never confirms the claim and is given back), the card holder's bank wins
or loses a dispute, staff give back by hand what a failed refund owed. After every move: never more refunded than
paid, the ledger keeps what was paid less what refunds, lost disputes and staff by hand gave back, at most one
request of Rebond is open, Rebond never asks Stripe for more than is owed, and what is owed another way is never
negative nor more than Rebond keeps. Once every refund has been told and retried: Rebond's rows are Stripe's
refunds, the ledger is what Stripe really kept less what was given back by hand, and a cancelled or expired claim
(or money taken for another amount) is owed nothing that is not given back or owed another way.
"""

import uuid
from datetime import timedelta

import pytest
import stripe
from django.db.models import Sum
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from reuse.accounts.models import User
from reuse.claims.enums import ClaimStatus, HandRefundMethod, LedgerKind, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, Refund
from reuse.claims.payments import REFUND_EVENTS
from reuse.claims.services import hand_refunds, refunds, reservations
from reuse.errors import DomainError
from tests.claims.fake_stripe import FakeStripe
from tests.claims.helpers import PRICE, card_under_way, deliver, intent_paid
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import eligible
from tests.security.machines import WorldMachine, run_machine

pytestmark = pytest.mark.django_db


def paid_world() -> dict:
    """A household's claim of a device at PRICE, its card payment received (the webhook not applied yet)."""
    household = eligible()
    claim, payment = card_under_way(household)
    return {"household": household.pk, "claim": claim.pk, "payment": payment.pk}


# What the bank takes when the intent was changed at Stripe to another amount than the payment asked.
WRONG = PRICE + 700


class Holder:
    stripe: FakeStripe | None = None


class RefundOrders(WorldMachine, RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.claim = Claim.objects.get(pk=self.world["claim"])
        self.household = User.objects.get(pk=self.world["household"])
        self.payment = Payment.objects.get(pk=self.world["payment"])
        self.intent = self.payment.stripe_payment_intent
        self.stripe = Holder.stripe = FakeStripe()
        self.stripe.charge(self.intent, PRICE)
        self.stripe.before_create = self._asks_only_what_is_owed
        self.copies: list[dict] = []  # every copy of a refund Stripe ever showed, stale ones included
        self.sent: list[tuple[str, dict, str]] = []  # (type, object, event id) delivered
        self.paid = False
        self.charged = PRICE  # what the bank took: PRICE, or another amount (WRONG)
        self.staff = UserFactory(is_staff=True)

    def _asks_only_what_is_owed(self, *, amount, metadata, **_kwargs):
        row = Refund.objects.get(pk=metadata["refund_id"])
        assert row.status in (RefundStatus.PENDING, RefundStatus.FAILED) and row.stripe_refund is None
        # Given back, owed by the team another way (Stripe failed it), under way at Stripe or taken back by the
        # card holder's bank (a lost dispute): not to ask again.
        accounted = (
            self._sum(status__in=[RefundStatus.SUCCEEDED, RefundStatus.NOT_RECEIVED])
            + self._sum(status__in=[RefundStatus.PENDING, RefundStatus.FAILED], stripe_refund__isnull=False)
            + self.stripe.disputed.get(self.intent, 0)
        )
        assert 0 < amount <= self.charged - accounted, "Rebond asks Stripe for money a refund accounts for"

    def _deliver(self, kind, obj, event_id=""):
        event_id = event_id or f"evt_{uuid.uuid4().hex[:20]}"
        try:
            deliver(kind, obj, event_id=event_id)
        except refunds.PaymentProviderError:
            assert self.stripe.down  # answered 503: Stripe sends it again later
        self.sent.append((kind, obj, event_id))

    @rule()
    def payment_succeeds(self):
        paid = {**intent_paid(self.payment), "amount": self.charged, "amount_received": self.charged}
        self._deliver("payment_intent.succeeded", paid)
        self.paid = True

    @rule()
    def bank_takes_another_amount(self):
        """The intent was paid for another amount than the payment asked (changed at Stripe): told once paid."""
        if not self.paid:
            self.charged = WRONG
            self.stripe.charge(self.intent, WRONG)
            self.payment_succeeds()

    @rule(amount=st.sampled_from([1000, PRICE]), lost=st.booleans())
    def a_dispute_closes(self, amount, lost):
        if not self.paid:
            return
        if not lost:
            self._deliver(
                "charge.dispute.closed",
                {"id": "dp_won", "amount": amount, "status": "won", "payment_intent": self.intent},
            )
            return
        try:
            self._deliver("charge.dispute.closed", self.stripe.lose_dispute(self.intent, amount))
        except stripe.InvalidRequestError:
            pass

    @rule(whole=st.booleans())
    def staff_give_back_by_hand(self, whole):
        owed = Claim.objects.get(pk=self.claim.pk).owed_another_way_cents
        try:
            hand_refunds.record(
                claim_id=self.claim.pk,
                by=self.staff,
                amount_cents=owed if whole else 500,
                method=HandRefundMethod.TRANSFER,
                reference="VIR",
            )
        except DomainError:
            assert owed < (1 if whole else 500)

    @rule()
    def household_cancels(self):
        try:
            reservations.cancel_claim(claim_id=self.claim.pk, actor=self.household)
        except DomainError:
            pass

    @rule()
    def hold_ends(self):
        """The reservation's time runs out before the payment's webhook (3-D Secure finished late)."""
        Claim.objects.filter(pk=self.claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        reservations.expire_claim(claim_id=self.claim.pk)

    @rule(down=st.booleans())
    def stripe_reachable(self, down):
        self.stripe.down = down

    @rule(amount=st.sampled_from([500, 2000, PRICE - 2000, PRICE]), ours=st.booleans(), pending=st.booleans())
    def staff_refund_from_the_dashboard(self, amount, ours, pending):
        metadata = {}
        if ours:  # staff use Rebond's request from the claim (its row id), as a refund Rebond asked for
            open_row = Refund.objects.filter(payment=self.payment, stripe_refund=None).order_by("-pk").first()
            metadata = {"refund_id": str(open_row.pk)} if open_row else {}
        try:
            made = self.stripe.dashboard(
                self.intent, amount, metadata=metadata, status="pending" if pending else "succeeded"
            )
        except stripe.InvalidRequestError:
            return
        self.copies.append(made)

    @rule(which=st.integers(0, 5), end=st.sampled_from(["succeeded", "failed", "canceled"]))
    def bank_ends_a_refund(self, which, end):
        ids = list(self.stripe.refunds)
        if which >= len(ids):
            return
        now = self.stripe.refunds[ids[which]]["status"]
        if now == "pending" or (now, end) == ("succeeded", "failed"):
            self.copies.append(self.stripe.end(ids[which], end))

    @rule(which=st.integers(0, 12), kind=st.sampled_from(sorted(REFUND_EVENTS)))
    def stripe_tells_a_refund(self, which, kind):
        if which < len(self.copies):
            self._deliver(kind, self.copies[which])

    @rule(which=st.integers(0, 12))
    def stripe_sends_an_event_again(self, which):
        if which < len(self.sent):
            self._deliver(*self.sent[which])

    @rule()
    def retry_task_runs(self):
        open_rows = Refund.objects.filter(
            payment=self.payment, status__in=[RefundStatus.PENDING, RefundStatus.FAILED]
        )
        for pk in open_rows.values_list("pk", flat=True):
            refunds.execute_refund(refund_id=pk)

    # --- always ------------------------------------------------------------------------------------------------

    def _sum(self, **filters) -> int:
        return (
            Refund.objects.filter(payment=self.payment, **filters).aggregate(t=Sum("amount_cents"))["t"] or 0
        )

    def _ledger(self, *kinds) -> int:
        lines = LedgerEntry.objects.filter(payment=self.payment, kind__in=kinds)
        return lines.aggregate(t=Sum("amount_cents"))["t"] or 0

    @invariant()
    def money_adds_up(self):
        given_back = self._sum(status=RefundStatus.SUCCEEDED)
        payment = Payment.objects.get(pk=self.payment.pk)
        received = self.charged if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED) else 0
        assert given_back <= self.charged
        kept = self._ledger(LedgerKind.CARD_CAPTURED, LedgerKind.REFUNDED, LedgerKind.REFUND_NOT_RECEIVED)
        assert kept == received - given_back
        # A lost dispute is booked once, for what the bank took back; by hand, never more than was owed.
        assert -self._ledger(LedgerKind.DISPUTE_LOST) == self.stripe.disputed.get(self.intent, 0)
        assert 0 <= payment.given_back_by_hand_cents() <= self._sum(status=RefundStatus.NOT_RECEIVED)
        owed = payment.owed_another_way_cents()
        assert (
            0 <= owed <= max(kept + self._ledger(LedgerKind.DISPUTE_LOST, LedgerKind.GIVEN_BACK_BY_HAND), 0)
        )
        if payment.amount_cents != PRICE:  # money taken for another amount never confirms the claim
            assert Claim.objects.get(pk=self.claim.pk).confirmed_at is None
        assert (
            Refund.objects.filter(
                payment=payment, status__in=[RefundStatus.PENDING, RefundStatus.FAILED]
            ).count()
            <= 1
        )
        assert (payment.status == PaymentStatus.REFUNDED) == (received > 0 and given_back == self.charged)

    def teardown(self):
        try:
            if self.paid:
                self._everything_told()
        finally:
            super().teardown()

    def _everything_told(self):
        """Stripe comes back, the bank ends every refund still pending (they go through), Stripe tells every refund
        as it now is, and the retries run until nothing changes."""
        self.stripe.down = False
        for _round in range(3):
            for made in list(self.stripe.refunds.values()):
                if made["status"] == "pending":
                    self.stripe.end(made["id"], "succeeded")
                self._deliver("refund.updated", self.stripe.refunds[made["id"]])
            self.retry_task_runs()
        for made in self.stripe.refunds.values():
            row = Refund.objects.get(stripe_refund=made["id"])
            assert (row.amount_cents, row.status) == (made["amount"], refunds.STRIPE_ENDS[made["status"]])
        kept = LedgerEntry.objects.filter(payment=self.payment).aggregate(t=Sum("amount_cents"))["t"]
        payment = Payment.objects.get(pk=self.payment.pk)
        disputed = self.stripe.disputed.get(self.intent, 0)
        by_hand = payment.given_back_by_hand_cents()
        assert kept == self.charged - self.stripe.given_back(self.intent) - disputed - by_hand
        assert not Refund.objects.filter(
            payment=self.payment, status__in=[RefundStatus.PENDING, RefundStatus.FAILED]
        ).exists()
        claim = Claim.objects.get(pk=self.claim.pk)
        if claim.status in (ClaimStatus.CANCELLED, ClaimStatus.EXPIRED) or self.charged != PRICE:
            # Owed: what was paid less what Stripe really gave back, the bank took back and staff gave by hand.
            # Rebond asked Stripe for all of it but what the team owes another way (refunds Stripe failed, not
            # settled since), which the claim page and the admin show: the household is made whole either way.
            owed = self.charged - self.stripe.given_back(self.intent) - disputed - by_hand
            assert max(owed, 0) == claim.owed_another_way_cents


def test_the_money_of_a_card_payment_adds_up_in_any_order(monkeypatch):
    monkeypatch.setattr(refunds, "stripe_client", lambda: Holder.stripe)
    run_machine(RefundOrders, max_examples=50, steps=20, world=paid_world)
