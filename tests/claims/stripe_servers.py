"""Stripes on loopback for the claim page's read of an intent: one that never answers (a socket that accepts and
says nothing, what a stuck proxy or a half-open line does) and one that says every intent succeeded, as Stripe's
API reference documents a PaymentIntent (https://docs.stripe.com/api/payment_intents/object). Both count what
they were asked."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.claims.helpers import PRICE


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
