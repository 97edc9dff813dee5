"""The device lifecycle: declared moves, the erasure rule, price bounds, and the append-only history."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from inventory.enums import DeviceState
from inventory.models import DeviceEvent
from inventory.transitions import ALLOWED, WARRANTY_MOVES, apply_transition
from reuse.errors import IllegalTransition
from reuse.journal import AppendOnlyError
from reuse.programmes.models import Programme, ProgrammePrice
from tests.factories.accounts import UserFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def test_every_state_of_the_lifecycle_is_in_the_table_and_terminal_states_lead_nowhere():
    assert set(ALLOWED) == set(DeviceState)
    for terminal in (DeviceState.RECYCLED, DeviceState.PARTS):
        assert ALLOWED[terminal] == set()
    # A handed-over device comes back only under warranty (guards in reuse.aftercare; tests/aftercare).
    assert {(DeviceState.HANDED_OVER, to) for to in ALLOWED[DeviceState.HANDED_OVER]} <= WARRANTY_MOVES


def test_an_illegal_move_is_refused_with_a_french_message_and_writes_nothing():
    device = DeviceFactory()
    with pytest.raises(IllegalTransition) as exc:
        apply_transition(device_id=device.pk, to=DeviceState.HANDED_OVER, actor=UserFactory())
    assert "Passage impossible de « Reçu » à « Remis »" in str(exc.value.message)
    device.refresh_from_db()
    assert device.state == DeviceState.RECEIVED
    assert not DeviceEvent.objects.filter(device=device).exists()


def test_a_move_writes_who_when_from_to_and_note_and_the_history_cannot_be_edited():
    device = DeviceFactory()
    actor = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False):
        apply_transition(device_id=device.pk, to=DeviceState.IN_REPAIR, actor=actor, note="écran à changer")
    event = DeviceEvent.objects.get(device=device)
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        actor,
        "received",
        "in_repair",
        "écran à changer",
    )
    assert event.created == datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)
    event.note = "autre chose"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        DeviceEvent.objects.filter(device=device).update(note="x")


def test_a_laptop_without_a_verified_erasure_can_never_be_listed():
    device = DeviceFactory(ready=True, price_cents=0)
    with pytest.raises(IllegalTransition) as exc:
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())
    assert "il manque un effacement vérifié pour 1 support(s) sur 1" in str(exc.value.message)
    ErasureRecordFactory(device=device, verified=True)
    apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())
    device.refresh_from_db()
    assert device.state == DeviceState.LISTED


def test_every_medium_needs_its_own_verified_erasure():
    device = DeviceFactory(ready=True, price_cents=0, media_count=2)
    ErasureRecordFactory(device=device, media_serial="DISK-A")
    ErasureRecordFactory(device=device, media_serial="DISK-A")
    with pytest.raises(IllegalTransition):
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())
    ErasureRecordFactory(device=device, media_serial="DISK-B")
    apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())


def test_a_failed_erasure_forces_recycling_or_parts_until_a_new_verified_one():
    device = DeviceFactory(state=DeviceState.IN_REPAIR)
    earlier = timezone.now() - datetime.timedelta(hours=2)
    ErasureRecordFactory(device=device, media_serial="DISK-A", verified=True, performed_at=earlier)
    ErasureRecordFactory(device=device, media_serial="DISK-A", verified=False)
    with pytest.raises(IllegalTransition) as exc:
        apply_transition(device_id=device.pk, to=DeviceState.READY, actor=UserFactory())
    assert "DISK-A a échoué" in str(exc.value.message)
    # Parts (or recycling) remain open.
    parts = DeviceFactory(state=DeviceState.IN_REPAIR)
    ErasureRecordFactory(device=parts, verified=False)
    apply_transition(device_id=parts.pk, to=DeviceState.PARTS, actor=UserFactory())
    # A later verified pass on the same medium lifts the block.
    ErasureRecordFactory(device=device, media_serial="DISK-A", verified=True)
    apply_transition(device_id=device.pk, to=DeviceState.READY, actor=UserFactory())


def test_a_monitor_holds_no_data_and_is_listed_without_erasure():
    device = DeviceFactory(ready=True, monitor=True, price_cents=1000)
    apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())


def test_listing_needs_a_grade_and_a_price():
    device = DeviceFactory(state=DeviceState.READY, grade="")
    ErasureRecordFactory(device=device)
    with pytest.raises(IllegalTransition, match="grade"):
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())
    device.grade = "A"
    device.save()
    with pytest.raises(IllegalTransition, match="prix"):
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())


def test_the_price_must_sit_within_the_programme_bounds_of_the_workshops_department():
    programme = Programme.objects.create(
        name="Seine-Saint-Denis", departments=["93"], starts_on=datetime.date(2026, 1, 1)
    )
    ProgrammePrice.objects.create(
        programme=programme, device_type="laptop", grade="B", min_cents=0, max_cents=5000
    )
    device = DeviceFactory(ready=True, price_cents=9000, workshop__department="93")
    ErasureRecordFactory(device=device)
    with pytest.raises(IllegalTransition) as exc:
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=UserFactory())
    assert exc.value.code == "price_out_of_bounds"
    assert "entre 0,00\xa0€ et 50,00\xa0€ pour" in str(exc.value.message)  # reuse.money.format_euros
    # Elsewhere, no programme: no bound.
    free_range = DeviceFactory(ready=True, price_cents=9000, workshop__department="13")
    ErasureRecordFactory(device=free_range)
    apply_transition(device_id=free_range.pk, to=DeviceState.LISTED, actor=UserFactory())


def test_recycling_needs_a_weee_channel_and_a_reference():
    device = DeviceFactory()
    with pytest.raises(IllegalTransition, match="filière DEEE"):
        apply_transition(device_id=device.pk, to=DeviceState.RECYCLED, actor=UserFactory())
    apply_transition(
        device_id=device.pk,
        to=DeviceState.RECYCLED,
        actor=UserFactory(),
        changes={"recycle_channel": "Ecosystem", "recycle_reference": "BSD-1"},
    )
    device.refresh_from_db()
    assert (device.state, device.recycle_channel, device.recycle_reference) == (
        "recycled",
        "Ecosystem",
        "BSD-1",
    )


def test_a_claim_reserves_only_a_listed_device_through_expected_from():
    device = DeviceFactory(ready=True)
    with pytest.raises(IllegalTransition, match="action impossible"):
        apply_transition(
            device_id=device.pk,
            to=DeviceState.RESERVED,
            actor=UserFactory(),
            expected_from=[DeviceState.LISTED],
        )


def test_a_batch_applies_the_same_rules_device_by_device_and_logs_each_move():
    from inventory.transitions import apply_transition_batch

    actor = UserFactory()
    fresh = DeviceFactory()
    wiped = DeviceFactory(ready=True, price_cents=0)
    ErasureRecordFactory(device=wiped)
    unwiped = DeviceFactory(ready=True, price_cents=0)
    failed = DeviceFactory(state=DeviceState.IN_REPAIR)
    ErasureRecordFactory(device=failed, verified=False)
    outcomes = apply_transition_batch(
        device_ids=[fresh.pk, wiped.pk, unwiped.pk, failed.pk], to=DeviceState.LISTED, actor=actor, note="lot"
    )
    assert isinstance(outcomes[fresh.pk], IllegalTransition)  # received → listed is not in the table
    assert outcomes[wiped.pk].state == DeviceState.LISTED
    assert "effacement vérifié" in str(outcomes[unwiped.pk].message)
    assert isinstance(outcomes[failed.pk], IllegalTransition)
    assert list(DeviceEvent.objects.values_list("device", "from_state", "to_state", "note")) == [
        (wiped.pk, "ready", "listed", "lot")
    ]
    states = dict(
        DeviceFactory._meta.model.objects.filter(pk__in=[fresh.pk, unwiped.pk, failed.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {fresh.pk: "received", unwiped.pk: "ready", failed.pk: "in_repair"}
