"""PostgreSQL: lots written from several places at once (two tabs of a donor, its API client, the assignment task and
its hourly sweep, two workshops' staff, a technician scanning into it). A workshop is never offered more devices in a
month than its capacity, a lot is offered once, a lot never leaves the states where its manifest may change while an
import writes into it, and no device is checked into a lot that stopped being the workshop's."""

import threading
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from donations import services, tasks
from donations.enums import ImportState, LotStatus
from donations.import_run import BATCH_SIZE
from donations.models import ImportJob, Lot, LotEvent, LotItem
from inventory.models import Device
from inventory.services.intake import check_in
from reuse.accounts.services import issue_api_token
from reuse.errors import Conflict, NotFound
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import workshop_with_member
from tests.factories.manifests import csv_bytes, french_rows
from tests.services.test_claims_expiry_race import _HoldFirstLock, _run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _blocked_by(raw_connection) -> bool:
    """Whether another backend waits on one of this backend's locks."""
    with raw_connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks"
            " WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))"
        )
        return cursor.fetchone()[0]


class _StopAfter(_HoldFirstLock):
    """Forces an order: `first(call)` runs until its first statement that `stops_at(sql)`, then stands still (its
    transaction open) until the other side has finished or waits on one of its locks (`peer_waited`); `then(call)`
    starts only once the first side stands still."""

    def __init__(self, stops_at):
        super().__init__()
        self.holds_after = stops_at
        self.other_done = threading.Event()
        self.peer_waited = False

    def _wrapper(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.taken.is_set() and self.holds_after(sql):
            self.taken.set()
            raw = context["connection"].connection
            deadline = time.monotonic() + 120
            while not self.other_done.wait(0.02):
                if _blocked_by(raw):
                    self.peer_waited = True
                    break
                if time.monotonic() > deadline:
                    raise AssertionError("the other side neither finished nor waited")
        return result

    def then(self, call):
        started = super().then(call)

        def run():
            try:
                return started()
            finally:
                self.other_done.set()

        return run


def _locks(table: str):
    return lambda sql: "FOR" in sql and "UPDATE" in sql and f'"{table}"' in sql


def _writes(table: str):
    return lambda sql: sql.startswith(f'INSERT INTO "{table}"')


def _submitted_lot(devices: int, department_postcode: str = "93200") -> Lot:
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, submitted=True, pickup_postcode=department_postcode)
    LotItemFactory.create_batch(devices, lot=lot)
    return lot


def _offered(workshop) -> int:
    return (
        LotItem.objects.filter(lot__workshop=workshop, lot__status=LotStatus.SUBMITTED).aggregate(
            n=Sum("quantity")
        )["n"]
        or 0
    )


# --- assignment ---------------------------------------------------------------------------------------------


def test_two_lots_assigned_at_once_never_take_a_workshop_beyond_its_monthly_capacity():
    """Two donors submit at the same moment: each lot's assignment task runs on its own worker process. The first
    stands still just after it locked its lot while the second offers its lot to the only workshop; the first
    must then see that the workshop is full, not what it read before."""
    workshop, _member = workshop_with_member(capacity=10)
    first, second = _submitted_lot(6), _submitted_lot(6)
    order = _StopAfter(_locks("donations_lot"))

    results, errors = _run_together(
        {
            "first": order.first(lambda: services.auto_assign(lot=first)),
            "second": order.then(lambda: services.auto_assign(lot=second)),
        }
    )

    assert not errors, errors
    assert results["second"] is not None and results["second"].workshop_id == workshop.pk
    assert results["first"] is None
    assert _offered(workshop) == 6
    assert Lot.objects.get(pk=first.pk).workshop_id is None


def test_lots_assigned_together_stay_within_the_capacity_whatever_the_order():
    for _round in range(3):
        workshop, _member = workshop_with_member(departments=[f"{_round + 1:02d}"], capacity=10)
        lots = [_submitted_lot(4, f"{_round + 1:02d}100") for _ in range(4)]
        results, errors = _run_together(
            {f"lot {n}": (lambda lot=lot: services.auto_assign(lot=lot)) for n, lot in enumerate(lots)}
        )
        assert not errors, errors
        assert sum(1 for result in results.values() if result is not None) == 2
        assert _offered(workshop) == 8


def test_the_same_lot_assigned_twice_at_once_is_offered_once():
    """The task queued by the submission and the hourly sweep pick the same lot at the same moment (or a decline's
    task and the sweep): the lot is offered to one workshop, which alone is told so."""
    workshop_with_member(capacity=50)
    workshop_with_member(capacity=50)
    lot = _submitted_lot(3)
    order = _StopAfter(_locks("donations_lot"))

    results, errors = _run_together(
        {
            "task": order.first(lambda: services.auto_assign(lot=Lot.objects.get(pk=lot.pk))),
            "sweep": order.then(lambda: services.auto_assign(lot=Lot.objects.get(pk=lot.pk))),
        }
    )

    assert not errors, errors
    assert order.peer_waited
    assert results["task"] is not None and results["sweep"] is None
    offers = LotEvent.objects.filter(lot=lot, note_text__code="journal_lot_auto_assigned")
    assert offers.count() == 1


# --- the manifest against the lot's moves -------------------------------------------------------------------


def _upload(lot, user, rows: int):
    return services.start_import(
        lot=lot, uploaded=SimpleUploadedFile("flotte.csv", csv_bytes(french_rows(rows))), user=user
    )


def _upload_for_this_thread(lot, user, rows: int):
    """Store the upload without handing its import to the real worker: the test's own thread is the worker, so that
    the order of its writes can be forced. Sent to the worker as well, the two attempts met on the import's lock and
    the test's one stopped at once (ImportBusy), with nothing written."""
    with mock.patch.object(tasks.import_manifest, "delay") as sent:
        job = _upload(lot, user, rows)
    sent.assert_called_once_with(job.pk)
    return job


def test_a_lot_submitted_in_one_tab_while_a_manifest_is_uploaded_in_another_is_refused():
    """The upload locks the lot and stores its job; the submission, which checked for a running import before it
    locked the lot, went on once the upload was committed: a submitted lot, its manifest still to be written."""
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    LotItemFactory(lot=lot)
    order = _StopAfter(_locks("donations_lot"))

    results, errors = _run_together(
        {
            "upload": order.first(lambda: _upload(Lot.objects.get(pk=lot.pk), user, 3)),
            "submit": order.then(lambda: services.submit_lot(lot=Lot.objects.get(pk=lot.pk), actor=user)),
        }
    )

    assert order.peer_waited
    assert isinstance(results["upload"], ImportJob)
    assert isinstance(errors.get("submit"), Conflict), (results, errors)
    assert "import de manifeste est en cours" in str(errors["submit"].message)
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.DRAFT


def test_a_workshop_accepting_a_lot_while_its_manifest_is_written_is_refused():
    """The donor re-imports the manifest of a submitted lot (allowed until a workshop accepts it) while the
    workshop accepts: the import checked the lot once, before its first batch; every later batch would land in an
    accepted lot, after the workshop decided on what it had been offered."""
    workshop, member = workshop_with_member(capacity=10_000)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, submitted=True, workshop=workshop)
    job = _upload_for_this_thread(lot, user, BATCH_SIZE + 200)
    order = _StopAfter(_writes("donations_lotitem"))

    results, errors = _run_together(
        {
            "import": order.first(lambda: services.run_import(job.pk)),
            "accept": order.then(
                lambda: services.accept_lot(lot=Lot.objects.get(pk=lot.pk), workshop=workshop, actor=member)
            ),
        }
    )

    assert "import" in results, errors
    assert results["import"].state == ImportState.DONE, results["import"].message
    assert isinstance(errors.get("accept"), Conflict), (results, errors)
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.SUBMITTED
    assert LotItem.objects.filter(lot=lot).count() == BATCH_SIZE + 200


# --- a workshop's check-in against the lot's moves ----------------------------------------------------------


def _accepted_lot(workshop, serial: str) -> Lot:
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(described=True, lot=lot, serial=serial, type="laptop")
    return lot


def test_a_device_checked_in_while_a_colleague_declines_its_lot_is_refused():
    """The declined lot goes back to the assignment rule, to another workshop: the scan that was waiting on the
    lot's row put its device in the lot all the same, read as the workshop's from the page loaded before."""
    workshop, member = workshop_with_member()
    lot = _accepted_lot(workshop, "RACE-1")
    loaded = Lot.objects.get(pk=lot.pk)
    order = _StopAfter(_locks("donations_lot"))

    results, errors = _run_together(
        {
            "decline": order.first(lambda: services.decline_lot(lot=loaded, workshop=workshop, actor=member)),
            "check-in": order.then(
                lambda: check_in(workshop=workshop, actor=member, lot=loaded, serial="RACE-1")
            ),
        }
    )

    assert order.peer_waited
    assert results["decline"].workshop_id is None
    assert isinstance(errors.get("check-in"), NotFound), (results, errors)
    assert "n’est pas ou plus attribué à votre atelier" in str(errors["check-in"].message)
    assert not Device.objects.filter(lot=lot).exists()


def test_a_check_in_and_staff_offering_the_lot_again_wait_for_each_other_without_deadlock():
    """The lot was declined after the bench page loaded it, and staff offer it to the same workshop again while
    a technician scans into it: the check-in locked the workshop, then the lot (inserting a device that points at
    it), staff the lot, then the workshop; PostgreSQL ended the deadlock by killing one of them."""
    workshop, member = workshop_with_member()
    lot = _accepted_lot(workshop, "RACE-2")
    loaded = Lot.objects.get(pk=lot.pk)
    services.decline_lot(lot=lot, workshop=workshop, actor=member)
    staff = UserFactory(is_staff=True)
    order = _StopAfter(lambda sql: _locks("donations_lot")(sql) or _locks("accounts_organisation")(sql))

    results, errors = _run_together(
        {
            "check-in": order.first(
                lambda: check_in(workshop=workshop, actor=member, lot=loaded, serial="RACE-2")
            ),
            "offer": order.then(lambda: services.assign_lot(lot=loaded, workshop=workshop, actor=staff)),
        }
    )

    assert order.peer_waited
    assert isinstance(errors.get("check-in"), NotFound), (results, errors)
    assert "offer" not in errors, errors
    assert Lot.objects.get(pk=lot.pk).workshop_id == workshop.pk
    assert not Device.objects.filter(lot=lot).exists()


def test_a_device_sent_by_the_api_while_its_lot_is_declined_is_a_404(api_client):
    """A workshop's tool posts a device with its `lot_id` while a colleague declines the lot: the API read the
    lot among the workshop's before the decline was committed, the service reads it again under its lock."""
    workshop, member = workshop_with_member()
    lot = _accepted_lot(workshop, "RACE-3")
    api = api_client.with_token(issue_api_token(user=member))
    order = _StopAfter(_locks("donations_lot"))

    results, errors = _run_together(
        {
            "decline": order.first(
                lambda: services.decline_lot(lot=Lot.objects.get(pk=lot.pk), workshop=workshop, actor=member)
            ),
            "api": order.then(lambda: api.post("/api/v1/devices", {"lot_id": lot.pk, "serial": "RACE-3"})),
        }
    )

    assert not errors, errors
    assert order.peer_waited
    assert results["api"].status_code == 404, results["api"].json()
    # Every API 404 reads the same (reuse/api.py), so that no answer tells a missing object from someone else's.
    assert results["api"].json() == {"detail": "Introuvable.", "code": "not_found"}
    assert not Device.objects.filter(lot=lot).exists()
