"""A listed device stays in the catalogue only at a price its programme allows today (inventory/services/prices.py):
staff narrowing a range, or a programme giving way to another, takes the devices it no longer allows out."""

import datetime

import pytest
import time_machine
from django.core import mail

from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent
from inventory.services import devices, prices
from inventory.tasks import withdraw_out_of_bounds_prices
from reuse.claims.services import reservations
from reuse.errors import render_text
from reuse.programmes.models import Programme, ProgrammePrice
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laptop_range(django_capture_on_commit_callbacks):
    # Committed as staff's save would be: its sweep runs here, and a later change in the test queues its own.
    with django_capture_on_commit_callbacks(execute=True):
        programme = Programme.objects.create(
            name="Seine-Saint-Denis", departments=["93"], starts_on=datetime.date(2026, 1, 1)
        )
        return ProgrammePrice.objects.create(
            programme=programme, device_type="laptop", grade="B", min_cents=3000, max_cents=9000
        )


def listed_at(cents: int) -> Device:
    return DeviceFactory(listed=True, price_cents=cents, workshop__department="93")


def history_notes(device: Device) -> list[tuple[str, str, str]]:
    return list(
        (e.from_state, e.to_state, e.shown_note)
        for e in DeviceEvent.objects.filter(device=device).order_by("pk")
    )


def test_narrowing_a_range_takes_the_listed_devices_it_no_longer_allows_out_and_tells_their_workshop(
    laptop_range, django_capture_on_commit_callbacks
):
    dear, fair = listed_at(8000), listed_at(4500)
    member_of(dear.workshop, email="atelier-prix@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        laptop_range.max_cents = 5000
        laptop_range.save()

    dear.refresh_from_db(), fair.refresh_from_db()
    assert (dear.state, fair.state) == (DeviceState.READY, DeviceState.LISTED)
    *_, (before, after, note) = history_notes(dear)
    assert (before, after) == (DeviceState.LISTED, DeviceState.READY)
    assert "(30,00\xa0€ à 50,00\xa0€)" in note  # reuse.money.format_euros, in French like the other notes
    [email] = [message for message in mail.outbox if message.to == ["atelier-prix@example.org"]]
    assert dear.asset_tag in email.body and fair.asset_tag not in email.body
    assert "80,00" in email.body


def test_a_reserved_device_keeps_the_price_its_household_accepted(laptop_range):
    device = listed_at(8000)
    claim = reservations.create_claim(actor=eligible(), device_id=device.pk)
    ProgrammePrice.objects.filter(pk=laptop_range.pk).update(
        max_cents=5000
    )  # unseen by signals: the nightly run

    assert withdraw_out_of_bounds_prices() == 0

    device.refresh_from_db(), claim.refresh_from_db()
    assert device.state == DeviceState.RESERVED and claim.price_cents == 8000


def test_a_programme_giving_way_to_a_cheaper_one_is_caught_by_the_nightly_run(laptop_range):
    laptop_range.programme.ends_on = datetime.date(2026, 12, 31)
    laptop_range.programme.save()
    successor = Programme.objects.create(
        name="Seine-Saint-Denis 2027", departments=["93"], starts_on=datetime.date(2027, 1, 1)
    )
    ProgrammePrice.objects.create(
        programme=successor, device_type="laptop", grade="B", min_cents=0, max_cents=4000
    )
    with time_machine.travel(datetime.datetime(2026, 12, 30, 12, tzinfo=datetime.UTC)):
        device = listed_at(6000)
        assert withdraw_out_of_bounds_prices() == 0
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 5, tzinfo=datetime.UTC)):
        assert withdraw_out_of_bounds_prices() == 1
    device.refresh_from_db()
    assert device.state == DeviceState.READY


def test_a_probe_of_a_device_priced_under_an_old_range_is_saved(laptop_range):
    """What a probe writes (memory, storage) never depended on the price: it is not refused for it."""
    device = listed_at(8000)
    ProgrammePrice.objects.filter(pk=laptop_range.pk).update(max_cents=5000)
    technician = member_of(device.workshop)

    devices.update_device(device=device, actor=technician, ram_gb=16)

    device.refresh_from_db()
    assert device.ram_gb == 16
    with pytest.raises(Exception, match="50,00"):
        devices.update_device(device=device, actor=technician, price_cents=7000)


def test_a_programme_without_a_row_for_a_type_leaves_its_listed_devices_but_a_free_only_row_takes_them_out(
    laptop_range,
):
    """A programme being set up (no row yet for phones) does not empty a département's catalogue; a row stating
    « free only » (0 € to 0 €) does what it says."""
    phone = DeviceFactory(listed=True, phone=True, price_cents=2000, workshop__department="93")
    assert withdraw_out_of_bounds_prices() == 0
    ProgrammePrice.objects.create(
        programme=laptop_range.programme, device_type="smartphone", grade="B", min_cents=0, max_cents=0
    )
    assert withdraw_out_of_bounds_prices() == 1
    phone.refresh_from_db()
    assert phone.state == DeviceState.READY
    assert "ne prévoit plus de prix" in history_notes(phone)[-1][2]


def test_the_note_says_when_the_programme_sets_no_price_any_more():
    assert "ne prévoit plus de prix" in render_text(prices.withdrawal_note((0, 0)))
