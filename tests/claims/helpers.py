"""Small steps the claims tests (and the apps beside claims) repeat."""

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings

from reuse.claims import payments
from reuse.claims.services import waitlist


def join(actor, *, device_type="laptop", max_price_cents=None, **declared):
    """`actor` joins the waiting list, declaring no priority situation unless told (`no_computer=True`...)."""
    flags = {"lives_in_qpv_zrr": False, "no_computer": False, "children_at_school": False, **declared}
    return waitlist.join_waitlist(
        actor=actor, device_type=device_type, max_price_cents=max_price_cents, **flags
    )


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
