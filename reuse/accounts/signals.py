"""Signals other apps listen to, so that accounts never imports them."""

from django.dispatch import Signal

# Sent with `organisation` when staff change its standing with a conditional UPDATE (approve, suspend), which
# sends no post_save: caches of what its standing shows (the catalogue's pages) are dropped.
organisation_standing_changed = Signal()
