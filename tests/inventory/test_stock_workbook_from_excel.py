"""The stock export opened in Excel and saved as a workbook (XLSX): Excel typed the serials made of digits as
numbers (Microsoft's « Keeping leading zeros and large numbers »: 15 significant digits kept, the rest zeros)
and « 1-2 » as a date cell (« Stop automatically changing numbers to dates »). The workbook is written here as
Excel stores those cells: a float in the cell's <v>, a date as a number of days with a date format."""

from datetime import datetime

import pytest

from inventory import stock_import
from inventory.models import Device
from inventory.services.devices import update_device
from inventory.services.stock_csv import RowErrors, export_rows
from reuse.errors import InvalidInput
from tests.factories.inventory import DeviceFactory
from tests.factories.manifests import workbook_bytes

pytestmark = pytest.mark.django_db


def saved_as_workbook(serials) -> bytes:
    rows = list(export_rows(Device.objects.order_by("pk")))
    header = rows[0]
    serial = header.index("Numéro de série")
    lines = []
    for values, value in zip(rows[1:], serials, strict=True):
        values = list(values)
        values[serial] = value
        lines.append(values)
    return workbook_bytes([header, *lines])


@pytest.mark.parametrize(
    ("cell", "said"),
    [(float(8933150319123456789), "notation scientifique"), (datetime(2026, 2, 1), "date")],
)
def test_a_serial_excel_rewrote_in_a_workbook_is_refused_never_stored_with_other_digits(
    workshop, technician, cell, said
):
    DeviceFactory(workshop=workshop, serial="PF1ABCDE", erased=False)

    with pytest.raises(RowErrors) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=saved_as_workbook([cell]))

    [error] = exc.value.errors
    assert error["row"] == 2 and "Excel a transformé ce numéro" in str(error["message"])
    assert said in str(error["message"])
    assert list(Device.objects.values_list("serial", flat=True)) == ["PF1ABCDE"]


@pytest.mark.parametrize("serial", ["1,73587E+11", "8.93315031912346E+18", "01-févr"])
def test_a_serial_copied_from_an_excel_cell_is_refused_by_the_device_service_every_path_uses(
    workshop, technician, serial
):
    # A script or a person pasting the cell Excel shows into the device's page or the API (PATCH devices/{id}).
    device = DeviceFactory(workshop=workshop, serial="PF1ABCDE", erased=False)

    with pytest.raises(InvalidInput) as exc:
        update_device(device=device, actor=technician, serial=serial)

    assert "Excel a transformé ce numéro" in str(exc.value.message)
    device.refresh_from_db()
    assert device.serial == "PF1ABCDE"
