"""Signals other apps listen to, so that claims never imports them."""

from django.dispatch import Signal

# Sent while the handover receipt is drawn, with `claim`; each receiver returns rows (key, label, value) printed
# in the receipt's table. A row keyed "warranty" replaces the default warranty line.
handover_receipt_rows = Signal()
