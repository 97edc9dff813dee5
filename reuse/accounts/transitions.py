"""The delivery lifecycle of an email notification (reuse/lifecycle.py)."""

from reuse.accounts.enums import NotificationState as N
from reuse.accounts.models import Notification
from reuse.lifecycle import Lifecycle

NOTIFICATIONS = Lifecycle(
    model=Notification,
    states=N,
    field="state",
    # A failed send is retried: it fails again or goes out.
    table={N.PENDING: {N.SENT, N.FAILED}, N.FAILED: {N.SENT, N.FAILED}, N.SENT: set()},
)
