"""The claim page's read of an open card payment at Stripe is bounded and kept a short while: a household on a
phone and a bad line is not kept waiting by a Stripe that does not answer, and refreshing does not ask again.

Stripe's answer is a PaymentIntent as its API reference documents it (https://docs.stripe.com/api/payment_intents/
object: `object`, `id`, `status`, `amount`, `currency`); the silent Stripe is a socket that accepts the connection
and never answers, what a stuck proxy or a half-open line does."""

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from tests.claims.helpers import PRICE, card_under_way
from tests.factories.eligibility import eligible

RECEIVED = "Paiement reçu, en cours de confirmation"


@pytest.fixture
def silent_stripe(settings):
    """A server that accepts every connection and never says a word; it counts the connections."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)  # kept open, never answered

    threading.Thread(target=accept, daemon=True).start()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{listener.getsockname()[1]}"
    yield accepted
    listener.close()
    for connection in accepted:
        connection.close()


@pytest.fixture
def paying_stripe(settings):
    """A Stripe that says every intent succeeded; it counts the requests it answers."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            intent_id = self.path.rstrip("/").rsplit("/", 1)[-1]
            body = json.dumps(
                {
                    "object": "payment_intent",
                    "id": intent_id,
                    "status": "succeeded",
                    "amount": PRICE,
                    "currency": "eur",
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield asked
    server.shutdown()
    server.server_close()


def test_a_stripe_that_never_answers_costs_the_page_a_short_wait_once(
    client, programme, silent_stripe, caplog
):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(household)
    url = reverse("claims:claim", args=[claim.pk])
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="reuse.claims.services.card_received"):
        first = client.get(url)
    waited = time.monotonic() - started
    # Measured, not asserted (a shared machine): about STRIPE_PAGE_READ_TIMEOUT_SECONDS, not the 15 s of a payment.
    print(f"claim page with a silent Stripe: {waited:.1f} s")
    assert first.status_code == 200
    page = first.content.decode()
    assert RECEIVED not in page
    assert reverse("claims:pay", args=[claim.pk]) in page  # what Rebond knows: the amount is still due
    assert any("not read" in record.getMessage() for record in caplog.records)  # told to operators

    started = time.monotonic()
    again = client.get(url)  # the household refreshes: Stripe is not asked again
    print(f"refreshed within the answer's keeping time: {time.monotonic() - started:.2f} s")
    assert again.status_code == 200
    assert len(silent_stripe) == 1


def test_a_paid_intent_is_asked_once_for_the_page_and_its_refreshes(client, programme, paying_stripe):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(household)
    for _ in range(3):
        page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
        assert RECEIVED in page
    assert len(paying_stripe) == 1
