"""The one way Rebond talks to Stripe (or localstripe): the library configured from settings, with a bounded wait,
and what a failed call means for the household (Stripe out of reach: a 503 to try again, nothing done)."""

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reuse.errors import TemporarilyUnavailable

# Every amount of Rebond is in euros: Stripe's amounts in any other currency are never added to the ledger.
CURRENCY = "eur"


class PaymentProviderError(TemporarilyUnavailable):
    """Stripe cannot be reached (a refused connection, a timeout, a 5xx) or refused a call Rebond cannot finish:
    the household's reservation is kept and nothing it asked was done; the same request may be sent again."""

    code = "payment_unavailable"
    default_message = _(
        "Le paiement par carte est momentanément indisponible. Votre réservation est conservée : réessayez dans"
        " quelques minutes."
    )


def unreachable(exc: stripe.StripeError) -> bool:
    """Stripe could not answer (no connection, a timeout, its own 5xx): the call may or may not have been done."""
    return isinstance(exc, stripe.APIConnectionError) or (exc.http_status or 0) >= 500


def stripe_client():
    """Configure the library from settings at call time (tests point it at their own localstripe)."""
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 0
    # The library waits 80 s for an answer by default: a household paying would wait that long to hear.
    timeout = settings.STRIPE_TIMEOUT_SECONDS
    if getattr(stripe.default_http_client, "_timeout", None) != timeout:
        stripe.default_http_client = stripe.new_default_http_client(timeout=timeout)
    return stripe


def page_read_client() -> stripe.StripeClient:
    """A client for a read a page can do without (how an intent stands): its own short wait, no retries, so that a
    slow or silent Stripe costs the household's page STRIPE_PAGE_READ_TIMEOUT_SECONDS at most. A client of its own
    rather than the library's global one, which payments and refunds share with their longer wait."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=stripe.new_default_http_client(timeout=settings.STRIPE_PAGE_READ_TIMEOUT_SECONDS),
        max_network_retries=0,
    )


def in_euros(obj: dict) -> bool:
    """Whether a Stripe object's amounts (an intent, a refund, a dispute) are euro cents, the only ones the ledger
    adds: Rebond asks for every intent in euros, so any other currency is an intent changed outside Rebond."""
    return str(obj.get("currency") or "").lower() == CURRENCY
