"""Signals other apps listen to, so that accounts never imports them."""

from django.dispatch import Signal

# Sent with `organisation` when staff change its standing with a conditional UPDATE (approve, suspend), which
# sends no post_save: caches of what its standing shows (the catalogue's pages) are dropped.
organisation_standing_changed = Signal()

# A person's rights over their data (reuse.accounts.privacy): each app answers for what it holds about `user`.
# `personal_data_requested`: a receiver returns (section name, JSON-ready content) for the person's copy.
# `account_closure_refusals`: a receiver returns why the account cannot be closed now (a message), or None.
# `account_closing`: a receiver erases or anonymises what it holds, inside the closing transaction.
personal_data_requested = Signal()
account_closure_refusals = Signal()
account_closing = Signal()
