"""An expired reservation racing its card payment, on PostgreSQL and localstripe: nothing lost, nothing twice.

Every round starts from a reservation whose hold is past due and whose card payment has succeeded at
localstripe. The signed `payment_intent.succeeded` event that localstripe sends is caught by a small inbox
server instead of the application, so that the test delivers it itself, in a thread, at the moment the expiry
runs in another thread. The order is left to chance (`together`) or forced: the first side takes its first row
lock on the claim or the payment and keeps its transaction open until the other side waits on that lock.

Whatever the order, a round ends in exactly one of two ways:
- `confirmed`: the webhook came first; the claim is confirmed, the payment succeeded, the device stays reserved
  and expiry did nothing;
- `expired`: expiry came first; the device is listed again and the money went back through one Stripe refund.
"""

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from inventory.enums import DeviceState
from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, Refund, StripeEvent, Voucher
from reuse.claims.services import reservations, vouchers
from tests.factories.claims import VoucherFactory, VoucherFunderFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.conftest import card, post_form, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS = ("together", "webhook_first", "expiry_first")
PRICE = 4500


# --- localstripe's webhooks, caught rather than delivered ---------------------------------------------------


class _InboxHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.keep(body, self.headers.get("Stripe-Signature", ""))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class _Inbox(ThreadingHTTPServer):
    """Keeps every signed event localstripe posts, untouched, for the test to deliver when it chooses."""

    daemon_threads = True

    def __init__(self, stripe_url: str):
        super().__init__(("127.0.0.1", 0), _InboxHandler)
        self.stripe_url = stripe_url
        self.events = []
        self.last_at = time.monotonic()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def keep(self, body: bytes, signature: str):
        with self._lock:
            self.events.append((body, signature))
            self.last_at = time.monotonic()

    def succeeded(self, intent_id: str) -> tuple[bytes, str] | None:
        with self._lock:
            for body, signature in self.events:
                event = json.loads(body)
                if event["type"] == "payment_intent.succeeded" and event["data"]["object"]["id"] == intent_id:
                    return body, signature
        return None

    def wait_quiet(self, seconds: float, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_at < seconds and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture
def stripe_inbox(localstripe_url, settings):
    settings.STRIPE_API_BASE = localstripe_url
    inbox = _Inbox(stripe_url=localstripe_url)
    threading.Thread(target=inbox.serve_forever, daemon=True).start()
    post_form(
        f"{localstripe_url}/_config/webhooks/rebond",
        {"url": inbox.url, "secret": settings.STRIPE_WEBHOOK_SECRET},
    )
    yield inbox
    # localstripe sends its events a second late (the refunds' too): let them land here, not on a later test.
    inbox.wait_quiet(2.0)
    inbox.shutdown()
    inbox.server_close()


# --- a reservation past due, paid at Stripe ----------------------------------------------------------------


@dataclass
class Round:
    claim_id: int
    payment_id: int
    intent_id: str
    amount_cents: int
    payload: bytes = b""
    signature: str = ""

    @property
    def event_id(self) -> str:
        return json.loads(self.payload)["id"]


def _paid_past_due(base: str, voucher=None) -> Round:
    household = eligible()
    claim = reservations.create_claim(
        actor=household,
        device_id=DeviceFactory(listed=True, price_cents=PRICE).pk,
        voucher_code=voucher.code if voucher else "",
    )
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    assert payments.attach_card(payment=payment, card_id=card(base, "4242424242424242")) == {
        "status": "succeeded"
    }
    Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    return Round(
        claim_id=claim.pk,
        payment_id=payment.pk,
        intent_id=payment.stripe_payment_intent,
        amount_cents=payment.amount_cents,
    )


def _prepare(inbox: _Inbox, count: int, vouchers=None) -> list[Round]:
    """`count` reservations paid at localstripe, each with its signed success event caught in the inbox."""
    rounds = [
        _paid_past_due(inbox.stripe_url, voucher=vouchers[i] if vouchers else None) for i in range(count)
    ]
    assert wait_for(lambda: all(inbox.succeeded(r.intent_id) for r in rounds), timeout=30)
    for r in rounds:
        r.payload, r.signature = inbox.succeeded(r.intent_id)
        # Nothing has been applied yet: the claim waits, expired in time but not yet swept.
        assert Claim.objects.get(pk=r.claim_id).status == ClaimStatus.RESERVED
        assert Payment.objects.get(pk=r.payment_id).status == PaymentStatus.PENDING
    return rounds


# --- running both sides at once ----------------------------------------------------------------------------


def _someone_waits_on_me(raw_connection, timeout: float = 10.0) -> bool:
    """Whether another backend is blocked by this one's locks (polled until `timeout`)."""
    deadline = time.monotonic() + timeout
    with raw_connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks"
                " WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


class _HoldFirstLock:
    """Forces an order: `first(call)` runs until its first row lock on a claim or a payment, then keeps its
    transaction open until another connection waits on it; `then(call)` starts only once that lock is taken."""

    TABLES = ('"claims_claim"', '"claims_payment"')

    def __init__(self):
        self.taken = threading.Event()
        self.peer_waited = None

    def holds_after(self, sql: str) -> bool:
        """Whether the first side keeps its transaction open once this statement ran."""
        return "FOR UPDATE" in sql and any(t in sql for t in self.TABLES)

    def _wrapper(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.taken.is_set() and self.holds_after(sql):
            self.taken.set()
            self.peer_waited = _someone_waits_on_me(context["connection"].connection)
        return result

    def first(self, call):
        def run():
            with connection.execute_wrapper(self._wrapper):
                return call()

        return run

    def then(self, call):
        def run():
            if not self.taken.wait(30):
                raise AssertionError("the first side never took its lock")
            return call()

        return run


def _run_together(calls: dict) -> tuple[dict, dict]:
    """Run the calls at the same moment, each in its own thread and connection; return results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = {}, {}

    def run(name, call):
        try:
            barrier.wait(30)
            results[name] = call()
        except Exception as exc:  # noqa: BLE001 - a deadlock or any error in a thread is what these tests catch
            errors[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a side never finished"
    return results, errors


def _play(r: Round, order: str, number: int, deliveries: int = 1) -> dict:
    """Expiry against `deliveries` concurrent deliveries of the success event, in the given order."""

    def expire():
        return reservations.expire_claim(claim_id=r.claim_id)

    def deliver():
        return payments.receive_webhook(payload=r.payload, signature=r.signature).outcome

    sides = {"expiry": expire, **{f"webhook {n + 1}": deliver for n in range(deliveries)}}
    hold = _HoldFirstLock()
    if order == "webhook_first":
        sides = {name: hold.first(c) if name == "webhook 1" else hold.then(c) for name, c in sides.items()}
    elif order == "expiry_first":
        sides = {name: hold.first(c) if name == "expiry" else hold.then(c) for name, c in sides.items()}
    results, errors = _run_together(sides)
    assert not errors, f"{order}, round {number}: {errors!r}"
    if order != "together":
        assert hold.peer_waited, (
            f"{order}, round {number}: the other side never waited on the first one's lock"
        )
    return results


# --- what a round must end with ----------------------------------------------------------------------------


def _refunds_at_stripe(intent_id: str) -> list:
    return list(payments._stripe().Refund.list(payment_intent=intent_id).data)


def _outcome(r: Round, results: dict) -> str:
    """Check that the round ended in exactly one consistent way and say which."""
    claim = Claim.objects.select_related("device").get(pk=r.claim_id)
    payment = Payment.objects.get(pk=r.payment_id)
    ledger = LedgerEntry.objects.filter(claim=claim)
    captured = ledger.filter(kind=LedgerKind.CARD_CAPTURED)
    assert [(e.payment_id, e.amount_cents) for e in captured] == [(payment.pk, r.amount_cents)]
    event = StripeEvent.objects.get(type="payment_intent.succeeded", event_id=r.event_id)
    assert event.processed_at is not None
    refunds = Refund.objects.filter(payment__claim=claim)
    at_stripe = _refunds_at_stripe(r.intent_id)
    webhook_outcomes = {v for k, v in results.items() if k.startswith("webhook")}

    if claim.status == ClaimStatus.CONFIRMED:
        assert results["expiry"] is False
        assert webhook_outcomes == {"confirmed"} and event.outcome == "confirmed"
        assert payment.status == PaymentStatus.SUCCEEDED
        assert claim.device.state == DeviceState.RESERVED
        assert not refunds.exists() and at_stripe == []
        assert not ledger.filter(kind=LedgerKind.REFUNDED).exists()
        assert not claim.events.filter(to_status=ClaimStatus.EXPIRED).exists()
        assert ledger.aggregate(total=Sum("amount_cents"))["total"] == PRICE
        return "confirmed"

    assert claim.status == ClaimStatus.EXPIRED, claim.status
    assert results["expiry"] is True
    assert webhook_outcomes == {"refund: claim expired"} and event.outcome == "refund: claim expired"
    assert claim.device.state == DeviceState.LISTED
    assert payment.status == PaymentStatus.REFUNDED
    refund = refunds.get()
    assert (refund.status, refund.amount_cents) == ("succeeded", r.amount_cents)
    assert [(s.id, s.amount, s.status) for s in at_stripe] == [
        (refund.stripe_refund, r.amount_cents, "succeeded")
    ]
    refunded = ledger.filter(kind=LedgerKind.REFUNDED)
    assert [(e.payment_id, e.amount_cents) for e in refunded] == [(payment.pk, -r.amount_cents)]
    assert not claim.events.filter(to_status=ClaimStatus.CONFIRMED).exists()
    assert ledger.aggregate(total=Sum("amount_cents"))["total"] == 0
    return "expired"


def _never_confirmed_on_a_listed_device():
    assert not Claim.objects.filter(status=ClaimStatus.CONFIRMED, device__state=DeviceState.LISTED).exists()


def _every_round_went_the_first_sides_way(tally: Counter, order: str, rounds: int):
    """When one side surely goes first, all the rounds end its way (the webhook confirms, the expiry expires);
    run together, each round may end either way."""
    if order == "webhook_first":
        assert tally == {"confirmed": rounds}
    elif order == "expiry_first":
        assert tally == {"expired": rounds}


# --- the tests ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ORDERS)
def test_expiry_and_the_success_webhook_end_in_one_consistent_outcome(stripe_inbox, order):
    ProgrammeFactory()
    rounds = _prepare(stripe_inbox, 10)
    tally = Counter(_outcome(r, _play(r, order, n)) for n, r in enumerate(rounds, start=1))
    _never_confirmed_on_a_listed_device()
    print(f"\nexpiry vs webhook, {order}: {len(rounds)} rounds, {dict(tally)}")
    _every_round_went_the_first_sides_way(tally, order, 10)


@pytest.mark.parametrize("order", ORDERS)
def test_the_webhook_twice_at_once_and_replayed_is_applied_once(stripe_inbox, order):
    ProgrammeFactory()
    rounds = _prepare(stripe_inbox, 5)
    tally = Counter()
    for n, r in enumerate(rounds, start=1):
        results = _play(r, order, n, deliveries=2)
        # Stripe delivers it again later, and the sweep passes again: neither changes anything.
        replay = payments.receive_webhook(payload=r.payload, signature=r.signature)
        assert replay.outcome == results["webhook 1"]
        assert reservations.expire_claim(claim_id=r.claim_id) is False
        assert StripeEvent.objects.filter(event_id=r.event_id).count() == 1
        tally[_outcome(r, results)] += 1
    _never_confirmed_on_a_listed_device()
    print(f"\nexpiry vs webhook twice, {order}: {len(rounds)} rounds, {dict(tally)}")
    assert StripeEvent.objects.filter(type="payment_intent.succeeded").count() == len(rounds)
    _every_round_went_the_first_sides_way(tally, order, 5)


@pytest.mark.parametrize("order", ORDERS)
def test_a_voucher_is_released_once_on_expiry_and_never_counted_twice(stripe_inbox, order):
    ProgrammeFactory()
    funder = VoucherFunderFactory()
    issued = [VoucherFactory(funder=funder, face_value_cents=2000) for _ in range(4)]
    rounds = _prepare(stripe_inbox, 4, vouchers=issued)
    tally = Counter()
    for n, (r, voucher) in enumerate(zip(rounds, issued, strict=True), start=1):
        assert r.amount_cents == PRICE - 2000  # the card pays what the voucher leaves
        results = _play(r, order, n)
        payments.receive_webhook(payload=r.payload, signature=r.signature)
        assert reservations.expire_claim(claim_id=r.claim_id) is False
        outcome = _outcome(r, results)
        tally[outcome] += 1
        voucher.refresh_from_db()
        ledger = LedgerEntry.objects.filter(claim_id=r.claim_id)
        redeemed = ledger.filter(kind=LedgerKind.VOUCHER_REDEEMED)
        released = ledger.filter(kind=LedgerKind.VOUCHER_RELEASED)
        assert [e.amount_cents for e in redeemed] == [2000]
        if outcome == "confirmed":
            assert (voucher.claim_id, voucher.redeemed_cents) == (r.claim_id, 2000)
            assert not released.exists()
        else:
            assert (voucher.claim_id, voucher.redeemed_at, voucher.redeemed_cents) == (None, None, 0)
            assert [e.amount_cents for e in released] == [-2000]
            assert Voucher.objects.usable().filter(pk=voucher.pk).exists()
    _never_confirmed_on_a_listed_device()
    print(f"\nexpiry vs webhook with a voucher, {order}: {len(rounds)} rounds, {dict(tally)}")
    # The funder is billed once per voucher that went through, and never for a released one.
    now = timezone.localdate()
    rows, total = vouchers.funder_statement(funder=funder, year=now.year, month=now.month)
    assert len(rows) == tally["confirmed"] and total == 2000 * tally["confirmed"]
    _every_round_went_the_first_sides_way(tally, order, 4)
