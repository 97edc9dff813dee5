"""The rules that keep a lot's moves, its manifest imports and its assignment apart, on every write path: a lot
whose manifest is being imported is neither sized for a workshop nor moved out of the states where its manifest may
change, and a workshop acts only on a lot that is still its own once locked. The same moments raced on PostgreSQL
are in tests/services/test_lots_concurrency.py."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from donations import services, tasks
from donations.enums import ImportState, LotStatus
from donations.models import ImportJob, Lot
from donations.transitions import apply_transition
from reuse.errors import Conflict, Forbidden, render_text
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import workshop_with_member
from tests.factories.manifests import csv_bytes, french_rows

pytestmark = pytest.mark.django_db


def _importing(lot, user):
    """An import of the lot's manifest, as while it writes (the eager task already ran: put it back to running)."""
    job = services.start_import(
        lot=lot, uploaded=SimpleUploadedFile("flotte.csv", csv_bytes(french_rows(3))), user=user
    )
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.RUNNING)
    return job


def test_a_lot_whose_manifest_is_being_imported_is_offered_once_the_import_ends():
    workshop, _member = workshop_with_member(capacity=10)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, submitted=True)
    LotItemFactory.create_batch(4, lot=lot)
    job = _importing(lot, user)

    assert services.auto_assign(lot=lot) is None
    assert tasks.auto_assign_waiting() == 0
    assert Lot.objects.get(pk=lot.pk).workshop_id is None

    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.DONE)
    assert tasks.auto_assign_waiting() == 1
    assert Lot.objects.get(pk=lot.pk).workshop_id == workshop.pk


@pytest.mark.parametrize("move", ["submit", "accept", "cancel", "reject"])
def test_a_lot_does_not_move_on_while_its_manifest_is_being_imported(move):
    workshop, member = workshop_with_member()
    donor, user = donor_with_member()
    lot = LotFactory(
        donor=donor,
        created_by=user,
        **({} if move == "submit" else {"submitted": True, "workshop": workshop}),
    )
    LotItemFactory(lot=lot)
    _importing(lot, user)
    status = lot.status
    calls = {
        "submit": lambda: services.submit_lot(lot=lot, actor=user),
        "accept": lambda: services.accept_lot(lot=lot, workshop=workshop, actor=member),
        "cancel": lambda: services.cancel_lot(lot=lot, actor=user),
        "reject": lambda: apply_transition(lot_id=lot.pk, to=LotStatus.REJECTED, actor=member),
    }

    with pytest.raises(Conflict) as refused:
        calls[move]()

    assert refused.value.code == "import_running"
    assert str(refused.value.message) == (
        "Un import de manifeste est en cours sur ce lot : attendez qu’il se termine, puis réessayez."
    )
    assert Lot.objects.get(pk=lot.pk).status == status


def test_the_valid_rows_of_a_report_are_not_imported_into_a_lot_accepted_meanwhile():
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    job = ImportJob.objects.create(
        lot=lot, created_by=user, filename="flotte.csv", state=ImportState.FAILED, valid_rows=3, error_count=1
    )
    assert job.may_import_valid_rows
    Lot.objects.filter(pk=lot.pk).update(
        status=LotStatus.ACCEPTED
    )  # submitted, then accepted, in the meantime

    with pytest.raises(Conflict, match="Ce lot ne peut plus être modifié"):
        services.import_valid_rows(job=job, user=user)
    assert ImportJob.objects.filter(lot=lot).count() == 1


@pytest.mark.parametrize("move", ["mark_collected", "mark_received"])
def test_a_workshop_acting_on_a_lot_reassigned_meanwhile_is_refused(move):
    """The lot was read for the workshop's request, then declined by a colleague and accepted by another workshop
    before the request moved it: the check is made on the locked row, not on what the request read."""
    first, member = workshop_with_member()
    second, _ = workshop_with_member()
    status = LotStatus.ACCEPTED if move == "mark_collected" else LotStatus.COLLECTED
    lot = LotFactory(status=status, workshop=first)
    LotItemFactory(lot=lot)
    read_by_the_request = Lot.objects.get(pk=lot.pk)
    Lot.objects.filter(pk=lot.pk).update(workshop=second)

    with pytest.raises(Forbidden, match="pas attribué à votre atelier"):
        getattr(services, move)(lot=read_by_the_request, workshop=first, actor=member)
    assert Lot.objects.get(pk=lot.pk).status == status


def test_an_import_stopped_by_an_unexpected_error_lets_its_lot_move_on(settings):
    """A stored file that cannot be read (here a folder where the file should be): the job ends « failed » with a
    message for the donor instead of staying « running », which would keep the lot from ever being cancelled."""
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    (Path(settings.PRIVATE_MEDIA_ROOT) / "manifests" / "unreadable.csv").mkdir(parents=True)
    job = ImportJob.objects.create(
        lot=lot, created_by=user, file="manifests/unreadable.csv", filename="unreadable.csv", size=100
    )

    with pytest.raises(IsADirectoryError):
        services.run_import(job.pk)

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert (
        render_text(job.message)
        == "L’import s’est interrompu sur une erreur inattendue : envoyez le fichier à nouveau."
    )
    assert services.cancel_lot(lot=lot, actor=user).status == LotStatus.CANCELLED
