"""Tasks the broker refused (accounts.UnsentTask, written by reuse.celery.keep_unsent), queued again: by the beat's
sweep once the broker answers, or by staff from the admin (« Renvoyer maintenant »). Either way a row is queued
under its lock and deleted in the transaction that queued it, so that two sweeps, or a sweep and staff, never
queue it twice; while the broker still refuses, the row keeps the error and the count of attempts."""

import logging

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from reuse.accounts.models import UnsentTask
from reuse.errors import TemporarilyUnavailable

logger = logging.getLogger(__name__)


def resend_options(row, now) -> dict:
    """The send options of a kept task: its own, with its eta only while it is still ahead (a time passed while
    it waited: now), and its expiry (a worker given an expired task records it as revoked, as it would have)."""
    options = dict(row.options)
    if row.eta is not None and row.eta > now:
        options["eta"] = row.eta
    if row.expires is not None:
        options["expires"] = row.expires
    return options


class BrokerStillDown(TemporarilyUnavailable):
    default_message = _(
        "Le courtier de tâches ne répond toujours pas : la tâche reste en attente et sera renvoyée dès qu’il "
        "répondra."
    )


def send_again(pk: int) -> bool:
    """Queue the kept task `pk` with its own delivery (due time, expiry, queue, priority…). False when another
    sweep holds or already queued it; raises BrokerStillDown, the row kept with the error, while the broker
    refuses."""
    with transaction.atomic():
        row = UnsentTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if row is None:
            return False
        options = resend_options(row, timezone.now())
        task = current_app.tasks.get(row.task)
        try:
            if task is not None:
                task.apply_async(row.args, row.kwargs, keep_unsent=False, **options)
            else:
                current_app.send_task(row.task, row.args, row.kwargs, keep_unsent=False, **options)
        except OperationalError as error:
            # Written in this transaction, which commits: the row stays, with why and how often.
            UnsentTask.objects.filter(pk=row.pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            refused = error
        else:
            row.delete()
            return True
    raise BrokerStillDown() from refused


def send_all_again(limit: int = 500) -> int:
    """The sweep: the kept tasks, oldest first, until the broker refuses one. Returns how many were queued."""
    published = 0
    for pk in UnsentTask.objects.values_list("pk", flat=True)[:limit]:
        try:
            published += send_again(pk)
        except BrokerStillDown as error:
            logger.warning(
                "broker still unavailable, %s unsent task(s) wait: %s",
                UnsentTask.objects.count(),
                error.__cause__,
            )
            break
    return published
