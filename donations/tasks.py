"""Thin Celery tasks taking primary keys; the work lives in donations.services."""

from celery import shared_task

from donations import services
from donations.models import Lot


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_manifest(job_id: int) -> str:
    # acks_late: a worker killed mid-import leaves the message on the broker and another worker re-runs it;
    # the import is keyed by lot and serial, so the second run updates instead of duplicating.
    job = services.run_import(job_id)
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
