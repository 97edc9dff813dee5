"""PostgreSQL under colliding claims, over HTTP: what a household sees when its reservation meets a lock it cannot
have in time (55P03 lock_not_available, after `lock_timeout`) or a deadlock PostgreSQL breaks by aborting it
(40P01 deadlock_detected). Before, both answered a server error (500). Now a transaction PostgreSQL aborted (a
deadlock, a serialization failure) is run once again, whole, since nothing of it was written; a conflict that
outlasts that answers 503 with the site's French « rien n’a été enregistré, réessayez », and never a half-written
claim.

Real PostgreSQL, real threads, each on its own connection: a "holder" stands for another person's transaction and
takes the locks in the order that collides (error codes: https://www.postgresql.org/docs/current/errcodes-appendix.html,
deadlock detection: https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-DEADLOCKS).
"""

import json
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.claims.models import Claim, Voucher
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]
BUSY_FR = "rien n’a été enregistré : réessayez dans un instant"


def household_client():
    household = eligible()
    client = Client(raise_request_exception=False)
    client.force_login(household)
    return client


def claim(client, **payload):
    return client.post("/api/v1/claims", json.dumps(payload), content_type="application/json")


def waiting_on_a_lock() -> bool:
    """Another backend of this database waits for a row lock (the household's request)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def in_thread(target):
    errors = []

    def run():
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_reservation_that_meets_a_lock_held_too_long_is_told_to_try_again_and_nothing_is_written():
    ProgrammeFactory()
    device = DeviceFactory(listed=True)
    client = household_client()
    held, release = threading.Event(), threading.Event()

    def hold_the_device():
        with transaction.atomic():
            Device.objects.select_for_update().get(pk=device.pk)
            held.set()
            release.wait(30)

    holder, errors = in_thread(hold_the_device)
    assert held.wait(10)
    with connection.cursor() as cursor:
        cursor.execute(
            "SET lock_timeout = '300ms'"
        )  # the setting production gives every connection, shortened
    try:
        answer = claim(client, device_id=device.pk)
    finally:
        release.set()
        holder.join(30)
    assert not errors

    assert answer.status_code == 503, answer.content[:300]
    assert answer["Retry-After"] == "5"
    assert BUSY_FR in answer.json()["detail"] and answer.json()["code"] == "database_busy"
    assert not Claim.objects.exists()
    assert Device.objects.get(pk=device.pk).state == DeviceState.LISTED

    # Once the other transaction has ended, the same request goes through.
    assert claim(client, device_id=device.pk).status_code == 201


def test_a_reservation_with_a_voucher_aborted_by_a_deadlock_is_run_again_and_succeeds():
    """The household's reservation locks the device, then the voucher; the holder holds the voucher and then asks
    for the device. PostgreSQL aborts the household's transaction, which waited first (deadlock_timeout); run
    again once the holder committed, it reserves the device and pays with the voucher."""
    ProgrammeFactory()
    device = DeviceFactory(listed=True, price_cents=1500)
    voucher = VoucherFactory(face_value_cents=2000)
    client = household_client()
    holding = threading.Event()

    def hold_the_voucher_then_want_the_device():
        with transaction.atomic():
            Voucher.objects.select_for_update().get(pk=voucher.pk)
            holding.set()
            assert wait_for(waiting_on_a_lock, timeout=20)
            Device.objects.select_for_update().get(pk=device.pk)

    holder, errors = in_thread(hold_the_voucher_then_want_the_device)
    assert holding.wait(10)
    answer = claim(client, device_id=device.pk, voucher_code=voucher.code)
    holder.join(30)
    assert not errors

    assert answer.status_code == 201, answer.content[:300]
    (made,) = Claim.objects.all()
    assert Voucher.objects.get(pk=voucher.pk).claim_id == made.pk
    assert Device.objects.get(pk=device.pk).state == DeviceState.RESERVED
