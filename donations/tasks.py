"""Thin Celery tasks taking primary keys; the work lives in donations.services."""

from celery import shared_task

from donations import services
from donations.models import Lot

# How long a delivery that found the import running waits before it looks again.
BUSY_RETRY_SECONDS = 30


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def import_manifest(self, job_id: int) -> str:
    # acks_late: a worker killed mid-import leaves the message on the broker and another worker re-runs it;
    # the import is keyed by lot and serial, so the second run updates instead of duplicating.
    try:
        job = services.run_import(job_id)
    except services.ImportBusy as exc:
        # Handed again while the first attempt still runs: come back later. If that attempt ends, this one
        # finds the job done; if its process dies, this one takes the import over.
        raise self.retry(exc=exc, countdown=BUSY_RETRY_SECONDS, max_retries=None) from exc
    return job.state


@shared_task
def auto_assign(lot_id: int) -> int | None:
    lot = Lot.objects.filter(pk=lot_id).first()
    if lot is None:
        return None
    assigned = services.auto_assign(lot=lot)
    return assigned.workshop_id if assigned else None


@shared_task
def auto_assign_waiting() -> int:
    count = 0
    for lot in Lot.objects.awaiting_assignment().order_by("created")[:200]:
        if services.auto_assign(lot=lot):
            count += 1
    return count
