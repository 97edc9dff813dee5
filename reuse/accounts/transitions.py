"""The email outbox's lifecycle (reuse/lifecycle.py): an email waits, is sent, or fails and is tried again until it
is given up; staff may send a failed or given-up email again, which starts a fresh series of attempts."""

from reuse.accounts.enums import NotificationState as S
from reuse.accounts.models import Notification
from reuse.lifecycle import Lifecycle

NOTIFICATIONS = Lifecycle(
    model=Notification,
    states=S,
    field="state",
    table={
        S.PENDING: {S.SENT, S.FAILED, S.GAVE_UP},
        S.FAILED: {S.SENT, S.FAILED, S.GAVE_UP, S.PENDING},
        S.GAVE_UP: {S.PENDING},
        S.SENT: set(),
    },
)
