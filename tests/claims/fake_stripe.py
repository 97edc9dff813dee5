"""Stripe's refunds of one card payment, kept in memory: the ledger tests drive every order of events without a
localstripe process.

It keeps what Stripe keeps and refuses what Stripe refuses: refunds listed by intent, never more refunded than
charged (a failed or canceled refund gives its amount back to what may be refunded), a request made again with
the same idempotency key answered as it was the first time, a refund's end changed by the bank afterwards
(`end`), and staff's refunds from the Dashboard (`dashboard`), with Rebond's row id in the metadata or not.
"""

import copy
from types import SimpleNamespace

import stripe

# A card refund Stripe no longer counts against the charge: it gave nothing back.
GAVE_NOTHING = ("failed", "canceled")


class Made(dict):
    """A Stripe object as the library hands it back: its fields as attributes, and `to_dict`."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def to_dict(self):
        return copy.deepcopy(dict(self))


class FakeStripe:
    def __init__(self):
        self.charged: dict[str, int] = {}  # intent id -> amount captured
        self.refunds: dict[str, dict] = {}  # refund id -> the refund, as Stripe holds it now
        self.answers: dict[str, dict] = {}  # idempotency key -> the first answer
        self.down = False  # Stripe unreachable
        self.cancelled_intents: list[str] = []
        self.disputed: dict[str, int] = {}  # intent id -> amount a lost dispute gave back to the card holder
        self.disputes_open: set[str] = set()  # intents whose charge the card holder's bank disputes right now
        self.asked = 0  # refunds Rebond asked for, answered or not
        self.before_create = None  # a test's check of each new refund Rebond asks for, before Stripe makes it
        self.Refund = SimpleNamespace(create=self._create, retrieve=self._retrieve, list=self._list)
        self.PaymentIntent = SimpleNamespace(cancel=self._cancel)

    # --- what Rebond calls -------------------------------------------------------------------------------------

    def _reachable(self):
        if self.down:
            raise stripe.APIConnectionError("Stripe cannot be reached")

    def _create(self, *, payment_intent, amount, metadata=None, idempotency_key=None):
        self.asked += 1
        self._reachable()
        if payment_intent in self.disputes_open:
            raise stripe.InvalidRequestError(
                "Charge has an open dispute and cannot be refunded.", param=None, code="charge_disputed"
            )
        if idempotency_key in self.answers:
            return Made(copy.deepcopy(self.answers[idempotency_key]))
        if self.before_create is not None:
            self.before_create(payment_intent=payment_intent, amount=amount, metadata=metadata or {})
        made = self.dashboard(payment_intent, amount, metadata=metadata)
        if idempotency_key:
            self.answers[idempotency_key] = copy.deepcopy(made)
        return Made(made)

    def _retrieve(self, refund_id):
        self._reachable()
        if refund_id not in self.refunds:
            raise stripe.InvalidRequestError(f"No such refund: {refund_id}", param="id")
        return Made(copy.deepcopy(self.refunds[refund_id]))

    def _list(self, *, payment_intent, limit=100):
        self._reachable()
        items = [
            Made(copy.deepcopy(r)) for r in self.refunds.values() if r["payment_intent"] == payment_intent
        ]
        return SimpleNamespace(data=items, auto_paging_iter=lambda: iter(items))

    def _cancel(self, intent_id):
        self._reachable()
        self.cancelled_intents.append(intent_id)

    # --- what the bank, Stripe and staff do ----------------------------------------------------------------------

    def charge(self, intent_id: str, amount: int) -> None:
        self.charged[intent_id] = amount

    def refundable(self, intent_id: str) -> int:
        taken = sum(
            r["amount"]
            for r in self.refunds.values()
            if r["payment_intent"] == intent_id and r["status"] not in GAVE_NOTHING
        )
        return self.charged.get(intent_id, 0) - taken - self.disputed.get(intent_id, 0)

    def dashboard(self, intent_id: str, amount: int, *, metadata=None, status="succeeded") -> dict:
        """A refund made at Stripe (by Rebond's call, or by staff in the Dashboard); refused as Stripe refuses it
        when it asks more than is left of the charge."""
        if amount <= 0 or amount > self.refundable(intent_id):
            raise stripe.InvalidRequestError(
                f"Refund amount ({amount}) is greater than unrefunded amount on charge", param="amount"
            )
        refund_id = f"re_{len(self.refunds) + 1}"
        self.refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": "eur",
            "payment_intent": intent_id,
            "metadata": dict(metadata or {}),
            "status": status,
            "failure_reason": None,
        }
        return copy.deepcopy(self.refunds[refund_id])

    def end(self, refund_id: str, status: str) -> dict:
        """The bank ends a refund: pending to succeeded, failed or canceled, or succeeded to failed."""
        refund = self.refunds[refund_id]
        refund["status"] = status
        if status == "failed":
            refund["failure_reason"] = "expired_or_canceled_card"
        return copy.deepcopy(refund)

    def lose_dispute(self, intent_id: str, amount: int) -> dict:
        """The card holder's bank wins a dispute of `amount` (at most what is left of the charge, once per charge):
        the dispute as `charge.dispute.closed` carries it."""
        if intent_id in self.disputed or not 0 < amount <= self.refundable(intent_id):
            raise stripe.InvalidRequestError("This charge cannot be disputed for that amount", param="amount")
        self.disputed[intent_id] = amount
        return {
            "id": f"dp_{intent_id}",
            "object": "dispute",
            "amount": amount,
            "currency": "eur",
            "payment_intent": intent_id,
            "status": "lost",
            "reason": "fraudulent",
        }

    def given_back(self, intent_id: str) -> int:
        """What the household really got back: the refunds that succeeded."""
        return sum(
            r["amount"]
            for r in self.refunds.values()
            if r["payment_intent"] == intent_id and r["status"] == "succeeded"
        )
