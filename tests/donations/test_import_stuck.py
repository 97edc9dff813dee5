"""A manifest import that never ends does not hold its lot for good.

A lot neither moves on nor is sized for a workshop while an import of its manifest waits or runs
(donations.transitions.no_import_in_flight). With Celery eager (the demo, on SQLite), the import runs inside the
donor's request once the job row is committed: when it cannot get SQLite's write lock, the job must end « failed »
with a message telling the donor to send the file again, and not be left « running ». A job nobody has heard of for
longer than IMPORT_STALE_SECONDS (a worker that died, an eager run whose last write failed too) no longer counts as
in flight: the next move expires it, and a late delivery of its message does not start it.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from donations import import_run, services
from donations.enums import ImportState, LotStatus
from donations.models import ImportJob, Lot, LotItem
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import workshop_with_member
from tests.factories.manifests import csv_bytes, french_rows
from tests.sqlite_race import database_locked

pytestmark = pytest.mark.django_db

BUSY = "Le site était très occupé et l’import n’a pas pu aller au bout : envoyez le fichier à nouveau dans un instant."
STALE = "Cet import ne s’est pas terminé : envoyez le fichier à nouveau."


def _manifest():
    # A French CSV as Excel saves it (« CSV (séparateur : point-virgule) », cp1252).
    return SimpleUploadedFile("flotte.csv", csv_bytes(french_rows(3)))


@pytest.mark.django_db(transaction=True)  # the eager import runs once the upload's transaction commits
def test_an_eager_import_that_cannot_get_the_lock_fails_clearly_and_the_donor_sends_again(
    client, monkeypatch
):
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    client.force_login(user)
    monkeypatch.setattr(import_run, "write_rows", database_locked)

    answer = client.post(reverse("donations:manifest", args=[lot.pk]), {"file": _manifest()})

    # Not « rien n’a été enregistré » (the job was saved): the donor is shown the job, which says what happened.
    job = ImportJob.objects.get(lot=lot)
    assert answer.status_code == 302, answer.content
    assert answer["Location"] == reverse("donations:job", args=[job.pk])
    assert (job.state, job.message_text) == (ImportState.FAILED, BUSY)
    assert BUSY in client.get(answer["Location"]).content.decode()
    assert not LotItem.objects.filter(lot=lot).exists()

    monkeypatch.undo()
    again = services.start_import(lot=lot, uploaded=_manifest(), user=user)
    assert ImportJob.objects.get(pk=again.pk).state == ImportState.DONE
    assert LotItem.objects.filter(lot=lot).count() == 3
    services.submit_lot(lot=lot, actor=user)
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.SUBMITTED


@pytest.mark.parametrize("state", [ImportState.PENDING, ImportState.RUNNING])
def test_an_import_not_heard_of_past_the_stale_age_no_longer_holds_its_lot(settings, state):
    settings.IMPORT_STALE_SECONDS = 600
    workshop, _member = workshop_with_member(capacity=10)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    LotItemFactory(lot=lot)  # typed in the form
    job = ImportJob.objects.create(lot=lot, created_by=user, filename="flotte.csv", state=state)
    stuck = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 60)
    ImportJob.objects.filter(pk=job.pk).update(updated=stuck)

    services.submit_lot(lot=lot, actor=user)

    job.refresh_from_db()
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.SUBMITTED
    assert (job.state, job.message_text) == (ImportState.FAILED, STALE)
    # Its message delivered at last, the import does not start into a lot that moved on.
    assert import_run.run_import(job.pk).state == ImportState.FAILED
    assert LotItem.objects.filter(lot=lot).count() == 1
    # Nor does it keep the lot from being offered to a workshop.
    assert services.auto_assign(lot=lot).workshop_id == workshop.pk


def test_an_import_running_when_it_was_expired_writes_nothing_more(settings, monkeypatch):
    settings.IMPORT_STALE_SECONDS = 600
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    LotItemFactory(lot=lot)  # typed in the form
    job = ImportJob.objects.create(
        lot=lot, created_by=user, filename="flotte.csv", size=200, file="manifests/flotte.csv"
    )
    job.file.save("flotte.csv", _manifest(), save=True)
    check_file = import_run._check_file

    def quiet_past_the_stale_age(job, fileobj, reading):
        # The worker fell quiet between its first pass and its first batch; the lot was submitted meanwhile.
        checked = check_file(job, fileobj, reading)
        stuck = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 60)
        ImportJob.objects.filter(pk=job.pk).update(updated=stuck)
        services.submit_lot(lot=lot, actor=user)
        return checked

    monkeypatch.setattr(import_run, "_check_file", quiet_past_the_stale_age)
    finished = import_run.run_import(job.pk)

    assert (finished.state, finished.message_text) == (ImportState.FAILED, STALE)
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.SUBMITTED
    assert LotItem.objects.filter(lot=lot).count() == 1


@pytest.mark.parametrize("where", ["page", "api"])
def test_an_import_gone_silent_is_shown_as_not_finished(client, settings, where):
    settings.IMPORT_STALE_SECONDS = 600
    donor, user = donor_with_member()
    job = ImportJob.objects.create(
        lot=LotFactory(donor=donor, created_by=user), created_by=user, state=ImportState.RUNNING, progress=40
    )
    stuck = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 60)
    ImportJob.objects.filter(pk=job.pk).update(updated=stuck)
    client.force_login(user)

    if where == "api":
        # What the progress bar's script and an API client poll: they stop polling a failed job.
        answer = client.get(f"/api/v1/jobs/{job.pk}").json()
        assert (answer["state"], answer["message"]) == (ImportState.FAILED, STALE)
    else:
        page = client.get(reverse("donations:job", args=[job.pk])).content.decode()
        assert STALE in page
        assert "Import en cours : 40 %" not in page
        assert "Actualiser la page" not in page
    assert ImportJob.objects.get(pk=job.pk).state == ImportState.FAILED
