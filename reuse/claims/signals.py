"""Signals other apps listen to, so that claims never imports them."""

from django.dispatch import Signal

# Sent while the handover receipt is drawn, with `claim`; each receiver returns rows (key, label, value) printed
# in the receipt's table. A row keyed "warranty" replaces the default warranty line.
handover_receipt_rows = Signal()

# Sent while the waitlist is ranked, with `entries` (WaitlistEntry rows); each receiver returns
# {entry pk: extra points} (fragile territories, for instance), added to the programme's own points.
waitlist_points = Signal()

# Sent inside the redemption's transaction with `voucher` and `claim`, before the voucher is marked used; a
# receiver raises a DomainError to refuse it (an equipment cheque on a household's claim, for instance).
voucher_redeeming = Signal()

# Sent inside a Stripe webhook's transaction with `claim` (locked) when refunds Rebond did not ask for (staff in the
# Stripe Dashboard) gave back all the card money of a confirmed claim: the receiver ends the claim through its
# lifecycle, as a cancellation does (reservations sits above the refunds, which cannot call it).
card_money_given_back = Signal()
