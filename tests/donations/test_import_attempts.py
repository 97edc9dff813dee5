"""One attempt of a manifest import at a time: a broker hands an unacknowledged message again once its visibility
timeout has passed, even while the worker that has it is still importing; the second delivery must not write
the same lot beside the first (tests/services/test_donations_import.py kills real workers)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from donations import services, tasks
from donations.import_run import IMPORT_LOCK_SPACE
from donations.models import ImportJob, LotItem
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.manifests import csv_bytes, french_rows

pytestmark = pytest.mark.django_db(transaction=True)


def import_locks_held(job_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [IMPORT_LOCK_SPACE, job_id],
        )
        return cursor.fetchone()[0]


def wait_for_the_session_to_end(job_id: int, seconds: float = 30.0) -> None:
    """A closed client connection ends its server process a moment later, not at once: on a loaded machine the
    next query can still see the lock. Wait (bounded) until PostgreSQL has let it go."""
    deadline = time.monotonic() + seconds
    while import_locks_held(job_id):
        assert time.monotonic() < deadline, "the closed session still holds the import's lock"
        time.sleep(0.05)


def test_a_second_attempt_while_one_runs_writes_nothing_and_comes_back_later():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the lock is PostgreSQL's; SQLite has one writer and the eager tasks run one after the other"
        )
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    job = services.start_import(
        lot=lot, uploaded=SimpleUploadedFile("flotte.csv", csv_bytes(french_rows(5))), user=user
    )
    job.refresh_from_db()
    assert job.state == "done" and LotItem.objects.filter(lot=lot).count() == 5
    ImportJob.objects.filter(pk=job.pk).update(state="running")  # as while the first attempt writes
    attempts = job.attempts

    running = connections.create_connection("default")  # the first attempt's own database session
    try:
        with running.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [IMPORT_LOCK_SPACE, job.pk])
        assert import_locks_held(job.pk) == 1
        with pytest.raises(services.ImportBusy):
            services.run_import(job.pk)
        with pytest.raises(
            services.ImportBusy
        ):  # the task asks to be retried later (called directly: raised)
            tasks.import_manifest(job.pk)
        assert ImportJob.objects.get(pk=job.pk).attempts == attempts
    finally:
        running.close()  # its process dies: the lock goes with the session
    wait_for_the_session_to_end(job.pk)

    assert services.run_import(job.pk).state == "done"
    assert ImportJob.objects.get(pk=job.pk).attempts == attempts + 1
    assert LotItem.objects.filter(lot=lot).count() == 5
