"""Signals other apps listen to, so that inventory never imports them."""

from django.dispatch import Signal

# Sent once the move is committed, with `device_ids`: devices that just went online from the workshop
# (not those returned to the catalogue by a lapsed or cancelled claim, which the claims app handles itself).
devices_listed = Signal()

# Sent inside the transaction by writes that bypass Model.save() (the bench's batch moves), with `device_ids`:
# caches of what those devices show (the catalogue) are dropped once the transaction commits.
stock_moved = Signal()
