"""« Mettre en ligne » from « Reçu » goes through « Prêt », or says exactly what is missing; every device type has a
price bound in its programme."""

import datetime

import pytest
from django.urls import reverse

from inventory.enums import DeviceState
from inventory.models import DeviceEvent
from inventory.services.devices import price_and_list
from inventory.transitions import price_bounds
from reuse.errors import DomainError
from reuse.programmes.models import Programme, ProgrammePrice
from tests.factories.accounts import UserFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def test_listing_a_wiped_received_laptop_goes_through_ready_and_writes_both_steps(bench_client, workshop):
    device = DeviceFactory(workshop=workshop)
    ErasureRecordFactory(device=device)
    bench_client.post(
        reverse("inventory:device_price", args=[device.asset_tag]), {"grade": "B", "price_euros": "20"}
    )
    device.refresh_from_db()
    assert (device.state, device.price_cents) == (DeviceState.LISTED, 2000)
    steps = list(DeviceEvent.objects.filter(device=device).values_list("from_state", "to_state"))
    assert steps == [("received", "ready"), ("ready", "listed")]


def test_listing_an_unwiped_laptop_says_what_is_missing_with_the_way_to_do_it(bench_client, workshop):
    device = DeviceFactory(workshop=workshop)
    response = bench_client.post(
        reverse("inventory:device_price", args=[device.asset_tag]),
        {"grade": "B", "price_euros": "20"},
        follow=True,
    )
    html = response.content.decode()
    assert "il manque un effacement vérifié pour 1 support(s) sur 1" in html
    assert "Passage impossible" not in html
    assert 'href="#erasure-form"' in html and 'id="erasure-form"' in html
    device.refresh_from_db()
    assert device.state == DeviceState.RECEIVED and not DeviceEvent.objects.filter(device=device).exists()


def test_bench_mode_lists_received_devices_through_ready_too(bench_client, workshop):
    wiped = DeviceFactory(workshop=workshop, grade="A", price_cents=0)
    ErasureRecordFactory(device=wiped)
    unwiped = DeviceFactory(workshop=workshop, grade="A", price_cents=0)
    bench_client.post(
        reverse("inventory:bench"), {"action": "listed", "code": f"{wiped.asset_tag} {unwiped.asset_tag}"}
    )
    page = bench_client.get(reverse("inventory:bench")).content.decode()
    wiped.refresh_from_db()
    unwiped.refresh_from_db()
    assert wiped.state == DeviceState.LISTED and unwiped.state == DeviceState.RECEIVED
    assert "Passage impossible" not in page and "il manque un effacement vérifié" in page
    assert "Compléter la fiche" in page
    assert list(DeviceEvent.objects.filter(device=wiped).values_list("to_state", flat=True)) == [
        "ready",
        "listed",
    ]


@pytest.fixture
def programme_93(db):
    programme = Programme.objects.create(
        name="Seine-Saint-Denis", departments=["93"], starts_on=datetime.date(2026, 1, 1)
    )
    ProgrammePrice.objects.create(
        programme=programme, device_type="monitor", grade="B", min_cents=0, max_cents=2000
    )
    return programme


def test_a_screen_is_listed_within_its_own_bounds(programme_93, workshop):
    screen = DeviceFactory(workshop=workshop, monitor=True, ready=True, price_cents=50000)
    assert price_bounds(screen) == (0, 2000)
    with pytest.raises(DomainError, match="entre 0,00\u00a0€ et 20,00\u00a0€"):
        price_and_list(device=screen, actor=UserFactory(), price_cents=50000, grade="B")


def test_a_type_the_programme_gives_no_price_for_can_only_be_given(programme_93, workshop):
    printer = DeviceFactory(workshop=workshop, type="other", media_count=0, ready=True)
    with pytest.raises(DomainError, match="que gratuitement"):
        price_and_list(device=printer, actor=UserFactory(), price_cents=50000, grade="B")
    printer.refresh_from_db()
    assert printer.state == DeviceState.READY
    price_and_list(device=printer, actor=UserFactory(), price_cents=0, grade="B")
    printer.refresh_from_db()
    assert printer.state == DeviceState.LISTED


def test_the_demo_programme_bounds_every_device_type(demo):
    from inventory.enums import DeviceType, Grade
    from reuse.eligibility.demo import demo_programme

    rows = set(demo_programme().prices.values_list("device_type", "grade"))
    assert rows == {(device_type, grade) for device_type in DeviceType.values for grade in Grade.values}


def test_a_drive_announcing_its_own_failure_keeps_the_device_offline_until_it_is_replaced(
    bench_client, workshop
):
    """smartctl's verdict « FAILED » on a drive (recorded at its probe) blocks « Mettre en ligne » on the page and
    at the bench, as the device page says; the worn drive's recorded destruction, once replaced, lifts it."""
    from inventory.enums import ErasureMethod
    from inventory.models import StorageMediumRecord

    device = DeviceFactory(workshop=workshop)
    ErasureRecordFactory(device=device, media_serial="S3Z1NB0K512345A")
    StorageMediumRecord.objects.create(device=device, serial="S3Z1NB0K512345A", smart_passed=False)
    page = bench_client.post(
        reverse("inventory:device_price", args=[device.asset_tag]),
        {"grade": "B", "price_euros": "20"},
        follow=True,
    ).content.decode()
    assert "Le disque S3Z1NB0K512345A annonce lui-même une panne (SMART) : remplacez-le" in page
    bench_client.post(reverse("inventory:bench"), {"action": "listed", "code": device.asset_tag})
    device.refresh_from_db()
    assert device.state != DeviceState.LISTED

    ErasureRecordFactory(device=device, media_serial="s3z1nb0k512345a", method=ErasureMethod.DESTROY)
    assert (
        "annonce lui-même une panne"
        not in bench_client.get(reverse("inventory:device", args=[device.asset_tag])).content.decode()
    )
    bench_client.post(
        reverse("inventory:device_price", args=[device.asset_tag]), {"grade": "B", "price_euros": "20"}
    )
    device.refresh_from_db()
    assert device.state == DeviceState.LISTED
