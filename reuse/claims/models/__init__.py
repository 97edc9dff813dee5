"""Claims, the waitlist, payments (a local ledger before and after Stripe), vouchers and handover codes.

One module per subject; the classes are read from here, as Django and the rest of the project expect.
"""

from reuse.claims.models.claims import (
    HANDOVER_ALPHABET,
    Claim,
    ClaimEvent,
    WaitlistEntry,
    new_handover_code,
    normalise_handover_code,
)
from reuse.claims.models.payments import HandRefund, LedgerEntry, Payment, Refund, StripeEvent
from reuse.claims.models.vouchers import Voucher, VoucherFunder

__all__ = [
    "HANDOVER_ALPHABET",
    "Claim",
    "ClaimEvent",
    "HandRefund",
    "LedgerEntry",
    "Payment",
    "Refund",
    "StripeEvent",
    "Voucher",
    "VoucherFunder",
    "WaitlistEntry",
    "new_handover_code",
    "normalise_handover_code",
]
