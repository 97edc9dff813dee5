"""One serial, one machine, on every path that finds a device or a drive by its serial (the check-in form and the
API, the stock import, the hardware snapshot, the erasure record): a serial typed by hand in small letters or with
spaces around it is the one a tool read in capitals, and the serial firmware writes when the maker set none
(« To Be Filled By O.E.M. », « Default string », « System Serial Number », « 0123456789 ») never ties two
machines together (reuse/serials.py)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from donations.enums import LotStatus
from inventory.models import Device, ErasureRecord, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.services.erasures import record_erasure
from inventory.services.intake import check_in
from inventory.stock_import import import_stock_csv
from reuse.accounts.services import issue_api_token
from reuse.errors import InvalidInput
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory
from tests.factories.manifests import workbook_bytes
from tests.inventory.bench_samples import sample

pytestmark = pytest.mark.django_db


def test_a_walk_in_serial_typed_in_small_letters_finds_the_device_a_scan_checked_in(workshop, technician):
    first = check_in(workshop=workshop, actor=technician, type="laptop", serial="C02X1234JG5H")

    again = check_in(workshop=workshop, actor=technician, type="laptop", serial="  c02x1234jg5h ")

    assert (again.created, again.device.pk) == (False, first.device.pk)
    assert Device.objects.filter(workshop=workshop).count() == 1


def test_a_serial_typed_twice_in_a_lot_without_manifest_line_is_one_device(workshop, technician):
    lot = LotFactory(workshop=workshop, received=True)
    first = check_in(workshop=workshop, actor=technician, lot=lot, type="laptop", serial="5CG8301XYZ")

    again = check_in(workshop=workshop, actor=technician, lot=lot, type="laptop", serial="5cg8301xyz")

    assert (again.created, again.device.pk) == (False, first.device.pk)


@pytest.mark.parametrize(
    "placeholder", ["To Be Filled By O.E.M.", "Default string", "System Serial Number", "0123456789"]
)
def test_two_unbranded_machines_with_the_firmwares_placeholder_serial_are_two_devices(
    workshop, technician, placeholder
):
    first = check_in(workshop=workshop, actor=technician, type="desktop", serial=placeholder)

    second = check_in(workshop=workshop, actor=technician, type="desktop", serial=placeholder)

    assert second.created and second.device.pk != first.device.pk
    assert set(Device.objects.filter(workshop=workshop).values_list("serial", flat=True)) == {""}


def test_a_stock_spreadsheet_row_in_small_letters_updates_the_device_instead_of_adding_one(
    workshop, technician
):
    device = DeviceFactory(workshop=workshop, serial="C02X1234JG5H", brand="Apple", model="")
    content = workbook_bytes([["Numéro de série", "Modèle"], [" c02x1234jg5h", "MacBook Air"]])

    result = import_stock_csv(workshop=workshop, actor=technician, data=content)

    assert result == {"created": 0, "updated": 1, "lost_letters": []}
    device.refresh_from_db()
    assert device.model == "MacBook Air"


def test_a_drive_known_in_capitals_on_one_device_is_refused_on_another_in_small_letters(workshop, technician):
    # smartctl reads « S3Z1NB0K512345A »; the drive was recorded on the first device by hand in small letters.
    first, second = DeviceFactory(workshop=workshop), DeviceFactory(workshop=workshop, serial="")
    StorageMediumRecord.objects.create(device=first, serial="s3z1nb0k512345a")

    [outcome] = reports.import_upload(
        workshop=workshop,
        actor=technician,
        filename="smartctl_thinkpad_t480.json",
        data=sample("smartctl_thinkpad_t480.json"),
        device=second,
    )

    assert not outcome.ok and "déjà ceux d’un autre appareil" in outcome.message, outcome.message
    assert not StorageMediumRecord.objects.filter(device=second).exists()


def test_an_erasure_recorded_by_hand_with_the_firmwares_placeholder_serial_is_refused(workshop, technician):
    device = DeviceFactory(workshop=workshop)

    with pytest.raises(InvalidInput, match="Indiquez le numéro de série du support effacé"):
        record_erasure(
            device=device,
            operator=technician,
            method="clear",
            tool="nwipe",
            tool_version="0.37",
            media_serial="0123456789",
            verified=True,
        )

    assert not ErasureRecord.objects.exists()


def test_the_database_holds_one_serial_per_lot_and_per_device_whatever_the_case(workshop):
    # A write that goes around the services (the admin, a shell, a future path) meets the same rule.
    lot = LotFactory(workshop=workshop, received=True)
    device = DeviceFactory(workshop=workshop, lot=lot, serial="C02X1234JG5H")
    StorageMediumRecord.objects.create(device=device, serial="S3Z1NB0K512345A")

    with pytest.raises(IntegrityError), transaction.atomic():
        DeviceFactory(workshop=workshop, lot=lot, serial="c02x1234jg5h")
    with pytest.raises(IntegrityError), transaction.atomic():
        StorageMediumRecord.objects.create(device=device, serial="s3z1nb0k512345a")


def test_the_api_finds_a_device_by_its_serial_typed_in_small_letters_never_by_a_placeholder(
    api_client, workshop, technician
):
    api = api_client.with_token(issue_api_token(user=technician))
    device = DeviceFactory(workshop=workshop, serial="C02X1234JG5H")
    DeviceFactory(workshop=workshop, serial="Default string")  # stored before placeholders were read as none

    found = api.get("/api/v1/devices", serial=" c02x1234jg5h").json()["items"]
    placeholder = api.get("/api/v1/devices", serial="Default string").json()["items"]

    assert [item["id"] for item in found] == [device.pk]
    assert placeholder == []


def test_the_check_in_page_shows_a_manifest_line_received_under_another_case(bench_client, workshop):
    # The donor's manifest says « 5cg8301xyz »; the device came in from the stock file read « 5CG8301XYZ ».
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.RECEIVED)
    LotItemFactory(described=True, lot=lot, serial="5cg8301xyz")
    device = DeviceFactory(workshop=workshop, lot=lot, serial="5CG8301XYZ")

    page = bench_client.get(reverse("inventory:check_in"), {"lot": lot.pk}).content.decode()

    assert device.asset_tag in page
