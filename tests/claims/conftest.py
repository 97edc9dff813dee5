import pytest

from reuse.claims.services import refunds, reservations
from tests import fixtures
from tests.claims.fake_stripe import FakeStripe
from tests.claims.helpers import PRICE
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.services import conftest as services

programme = fixtures.programme
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once
# One localstripe process for the session, started as the services pass starts its own.
localstripe_url = services.localstripe_url


@pytest.fixture
def stripe_at(localstripe_url, settings):
    """A stateful fake Stripe (localstripe on loopback) answering Rebond's calls; its events are delivered by the
    test, signed, as Stripe sends them."""
    settings.STRIPE_API_BASE = localstripe_url
    return localstripe_url


@pytest.fixture
def reserved(programme, stripe_at):
    """An eligible household and the claim it reserved, at PRICE, to pay by card."""
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=PRICE).pk
    )
    return household, claim


@pytest.fixture
def fake(monkeypatch):
    """Stripe's refunds in memory (`FakeStripe`), answering every call Rebond makes for refunds."""
    stripe = FakeStripe()
    monkeypatch.setattr(refunds, "stripe_client", lambda: stripe)
    return stripe
