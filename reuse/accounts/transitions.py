"""The accounts' lifecycles (reuse/lifecycle.py).

The email outbox: an email waits, is sent, or fails and is tried again until it is given up; staff may send a
failed or given-up email again, which starts a fresh series of attempts.

Organisations: staff approve a pending one, suspend one (pending or approved), and approve a suspended one again.
"""

from django.utils import timezone

from reuse.accounts.enums import NotificationState as S
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Notification, Organisation
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

ORGANISATIONS = Lifecycle(
    model=Organisation,
    states=OrganisationStatus,
    table={
        OrganisationStatus.PENDING: {OrganisationStatus.APPROVED, OrganisationStatus.SUSPENDED},
        OrganisationStatus.APPROVED: {OrganisationStatus.SUSPENDED},
        OrganisationStatus.SUSPENDED: {OrganisationStatus.APPROVED},
    },
    on_enter={OrganisationStatus.APPROVED: lambda organisation: {"approved_at": timezone.now()}},
)
