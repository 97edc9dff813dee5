"""The claim page's read of an open card payment at Stripe is bounded and kept a short while: a household on a
phone and a bad line is not kept waiting by a Stripe that does not answer, and refreshing does not ask again."""

import logging
import time

from django.urls import reverse

from tests.claims.helpers import card_under_way
from tests.claims.stripe_servers import paying_stripe, silent_stripe
from tests.factories.eligibility import eligible

__all__ = ["paying_stripe", "silent_stripe"]  # fixtures

RECEIVED = "Paiement reçu, en cours de confirmation"


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
