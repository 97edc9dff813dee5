"""Thin Celery tasks: they take primary keys and call the services."""

from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from reuse.claims.enums import PaymentStatus, RefundStatus
from reuse.claims.models import Claim, Refund
from reuse.claims.payments import execute_refund
from reuse.claims.services import reservations, waitlist


@shared_task
def offer_device_task(device_id: int):
    """Call after a device is listed: offers it to the first matching household on the waitlist."""
    claim = waitlist.offer_device(device_id)
    return claim.pk if claim else None


@shared_task
def offer_waitlisted_devices() -> int:
    return waitlist.offer_listed_devices()


@shared_task
def expire_overdue_claims() -> int:
    count = 0
    for pk in Claim.objects.overdue().values_list("pk", flat=True)[:500]:
        count += reservations.expire_claim(claim_id=pk)
    return count


@shared_task
def remind_expiring_claims() -> int:
    now = timezone.now()
    soon = Claim.objects.expiring_between(
        now, now + timedelta(hours=reservations.EXPIRY_REMINDER_HOURS)
    ).filter(reminder_sent_at__isnull=True)
    return sum(reservations.remind_expiring(claim_id=pk) for pk in soon.values_list("pk", flat=True)[:500])


@shared_task
def retry_refund(refund_id: int):
    return execute_refund(refund_id=refund_id).status


# A refund row still pending this long after it was written lost its call to Stripe (the process stopped).
STALE_REFUND = timedelta(minutes=15)


@shared_task
def retry_refunds() -> int:
    """Refunds Stripe refused or could not be reached for (an outage while a claim was cancelled), asked again
    with their own idempotency key until they go through, at most `refund_attempts.MAX_REFUND_ATTEMPTS` times (then they
    are staff's, told in the claim's history): the household's money never waits on a person noticing. Refunds of a
    disputed charge wait for the dispute's end, which asks them."""
    stale = timezone.now() - STALE_REFUND
    stuck = Refund.objects.filter(payment__status=PaymentStatus.SUCCEEDED).filter(
        Q(status=RefundStatus.FAILED) | Q(status=RefundStatus.PENDING, created__lt=stale)
    )
    done = [
        execute_refund(refund_id=pk).status for pk in stuck.order_by("pk").values_list("pk", flat=True)[:200]
    ]
    return done.count(RefundStatus.SUCCEEDED)
