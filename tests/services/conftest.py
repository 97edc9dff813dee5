"""Helpers of the services pass: polling, and a localstripe server with its webhook pointed at the live server.

The real Celery worker fixture lives in tests/conftest.py, shared with the browser journeys.
"""

import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK = "/api/v1/payments/stripe/webhook"


def wait_for(predicate, timeout=30.0, interval=0.2):
    """Poll until predicate() is truthy; return its value or fail with the last one."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_form(url: str, data: dict) -> dict:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


@pytest.fixture(scope="session")
def localstripe_url():
    """One localstripe on loopback for the whole pass (its webhook target is set by each test's fixture)."""
    port = _free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/localstripe"), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("localstripe did not start")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_server(localstripe_url, live_server, settings):
    """localstripe, with its signed webhooks delivered to the live server."""
    settings.STRIPE_API_BASE = localstripe_url
    post_form(
        f"{localstripe_url}/_config/webhooks/rebond",
        {"url": live_server.url + WEBHOOK, "secret": settings.STRIPE_WEBHOOK_SECRET},
    )
    return localstripe_url


def card(base: str, number: str) -> str:
    """Tokenise a test card number as Stripe.js would; returns the card id."""
    token = post_form(
        f"{base}/v1/tokens",
        {
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2031",
            "card[cvc]": "123",
            "key": settings.STRIPE_PUBLISHABLE_KEY,
        },
    )
    return token["card"]["id"]
