"""A manifest import on the real worker survives a pool process killed mid-import, and a whole worker killed
then restarted, without duplicates."""

import os
import signal

import psutil
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from donations import services
from donations.import_run import BATCH_SIZE
from donations.models import ImportJob, LotItem
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.manifests import csv_bytes, french_rows
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# Long enough that a worker killed after the first committed batch leaves most of the file to write (15 batches of
# 1,000 rows), short enough that the two imports each test makes do not hold the CI machine's two cores for a minute.
ROWS = 16_000
UNSERIALISED = 25


def manifest() -> bytes:
    rows = french_rows(ROWS)
    for row in rows[:UNSERIALISED]:
        row[3] = ""  # a line without serial: 3 identical monitors
        row[0], row[10] = "Écran", "3"
    return csv_bytes(rows)


def start_and_wait_until_half_written(worker):
    """Start an import on the real worker and wait until pass 2 has committed its first batch: the lot is
    half-written from then on."""
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    job = services.start_import(lot=lot, uploaded=SimpleUploadedFile("flotte.csv", manifest()), user=user)
    started_writing = wait_for(
        lambda: LotItem.objects.filter(lot=lot).count() >= BATCH_SIZE, timeout=180, interval=0.1
    )
    assert started_writing, worker.log_path.read_text()[-3000:]
    return lot, job


def assert_finished_once(worker, lot, job):
    """The interrupted import ran again from the broker (acks_late) and wrote every row exactly once."""
    done = wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, state__in=["done", "failed"]).exists(),
        timeout=240,
        interval=0.5,
    )
    assert done, worker.log_path.read_text()[-3000:]
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert job.attempts == 2
    items = LotItem.objects.filter(lot=lot)
    assert items.count() == ROWS
    assert items.filter(serial="").count() == UNSERIALISED
    assert not items.exclude(serial="").values("serial").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_a_worker_killed_mid_import_is_retried_without_duplicates(celery_worker_process):
    lot, job = start_and_wait_until_half_written(celery_worker_process)
    job.refresh_from_db()
    assert job.state == "running"
    children = psutil.Process(celery_worker_process.pid).children()
    assert children
    for child in children:
        os.kill(child.pid, signal.SIGKILL)

    assert_finished_once(celery_worker_process, lot, job)
    assert ImportJob.objects.count() == 1


def test_a_whole_worker_killed_mid_import_then_restarted_finishes_the_import(celery_worker_process):
    """The main worker process and its pool die together (SIGKILL): nobody is left to put the task back. The
    message stays unacknowledged on Redis; the new worker takes it back once the visibility timeout has passed
    and re-runs the import, which completes without duplicates."""
    lot, job = start_and_wait_until_half_written(celery_worker_process)

    celery_worker_process.kill()
    written_when_killed = LotItem.objects.filter(lot=lot).count()
    job.refresh_from_db()
    assert job.state == "running" and written_when_killed < ROWS
    celery_worker_process.start()

    assert_finished_once(celery_worker_process, lot, job)
