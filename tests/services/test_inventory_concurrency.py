"""Two technicians move the same device at once, on PostgreSQL: one wins, the other gets a clear message."""

import threading
import time

import pytest
from django.db import connection, transaction

from inventory.enums import DeviceState
from inventory.models import DeviceEvent
from inventory.services.devices import move, update_device
from inventory.transitions import apply_transition
from reuse.errors import DomainError, IllegalTransition
from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_thread(target, results, key):
    def runner():
        try:
            results[key] = target()
        except Exception as exc:  # the outcome of each technician is what the test compares
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=runner)
    thread.start()
    return thread


def test_the_second_technician_waits_for_the_lock_then_is_refused_with_a_message():
    assert connection.vendor == "postgresql"
    workshop = OrganisationFactory(workshop=True)
    first, second = member_of(workshop), member_of(workshop)
    device = DeviceFactory(workshop=workshop)
    holding = threading.Event()
    results = {}

    def technician_one():
        with transaction.atomic():
            moved = apply_transition(device_id=device.pk, to=DeviceState.IN_REPAIR, actor=first, note="un")
            holding.set()
            time.sleep(1.0)  # keeps the row lock while the other technician tries
        return moved

    def technician_two():
        holding.wait(10)
        started = time.monotonic()
        try:
            return apply_transition(device_id=device.pk, to=DeviceState.IN_REPAIR, actor=second, note="deux")
        finally:
            results["waited"] = time.monotonic() - started

    threads = [run_in_thread(technician_one, results, "one"), run_in_thread(technician_two, results, "two")]
    for thread in threads:
        thread.join(20)
    assert results["one"].state == DeviceState.IN_REPAIR
    assert isinstance(results["two"], IllegalTransition)
    assert str(results["two"].message) == "Passage impossible de « En réparation » à « En réparation »."
    assert results["waited"] > 0.5  # it really waited for the lock instead of reading a stale state
    events = list(DeviceEvent.objects.filter(device=device).values_list("actor", "to_state"))
    assert events == [(first.pk, DeviceState.IN_REPAIR)]


def test_two_different_moves_started_together_leave_exactly_one_winner():
    workshop = OrganisationFactory(workshop=True)
    first, second = member_of(workshop), member_of(workshop)
    for _attempt in range(5):
        device = DeviceFactory(workshop=workshop)
        barrier = threading.Barrier(2)
        results = {}

        def move(actor, to, device=device, barrier=barrier):
            barrier.wait(10)
            changes = (
                {"recycle_channel": "Ecosystem", "recycle_reference": "BSD-1"} if to == "recycled" else None
            )
            return apply_transition(device_id=device.pk, to=to, actor=actor, changes=changes)

        threads = [
            run_in_thread(lambda: move(first, DeviceState.PARTS), results, "parts"),
            run_in_thread(lambda: move(second, DeviceState.RECYCLED), results, "recycled"),
        ]
        for thread in threads:
            thread.join(20)
        outcomes = sorted(type(value).__name__ for value in results.values())
        assert outcomes == ["Device", "IllegalTransition"]
        device.refresh_from_db()
        assert DeviceEvent.objects.filter(device=device).count() == 1
        assert device.state in (DeviceState.PARTS, DeviceState.RECYCLED)


def test_a_grade_cleared_by_the_api_while_the_form_lists_the_device_never_leaves_it_listed_without_one():
    """PATCH {"grade": ""} from the API and « Mettre en ligne » from the device page at the same moment: the
    device ends listed with its grade, or back in stock without one, never listed without a grade."""
    workshop = OrganisationFactory(open_workshop=True)
    first, second = member_of(workshop), member_of(workshop)
    for _attempt in range(4):
        device = DeviceFactory(workshop=workshop, ready=True, price_cents=5000)
        ErasureRecordFactory(device=device)
        barrier = threading.Barrier(2)
        results = {}

        def patch(device=device, barrier=barrier):
            barrier.wait(10)
            return update_device(device=device, actor=first, grade="")

        def list_it(device=device, barrier=barrier):
            barrier.wait(10)
            return move(device=device, actor=second, to=DeviceState.LISTED)

        threads = [run_in_thread(patch, results, "patch"), run_in_thread(list_it, results, "list")]
        for thread in threads:
            thread.join(20)
        # One wins; the other is refused with its reason (« Un appareil en ligne garde un grade et un prix. » or
        # « Indiquez un grade (A, B ou C) avant la mise en ligne. »), never a server error.
        assert sorted(isinstance(v, DomainError) for v in results.values()) == [False, True], results
        device.refresh_from_db()
        assert (device.state, bool(device.grade)) in ((DeviceState.LISTED, True), (DeviceState.READY, False))
