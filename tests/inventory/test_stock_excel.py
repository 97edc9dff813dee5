"""The stock export opened in Excel (French locale), edited and saved again as « CSV (séparateur : point-virgule) »:
Windows-1252, `;`, CRLF, and the cells Excel rewrites on saving (prices "45,5", serials made of digits shown in
scientific notation past 11 digits or stripped of their leading zeros)."""

import pytest

from inventory import stock_import
from inventory.models import Device
from inventory.services.stock_csv import RowErrors, export_rows
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def saved_by_excel(edit) -> bytes:
    """Rebond's export as Excel writes it back, each row passed through `edit` (a dict by header)."""
    rows = list(export_rows(Device.objects.order_by("pk")))
    header, lines = rows[0], []
    for values in rows[1:]:
        row = dict(zip(header, values, strict=True))
        edit(row)
        lines.append(";".join(str(row[name]) for name in header))
    return "\r\n".join([";".join(header), *lines]).encode("cp1252")


def test_an_edited_price_comes_back_in_euros(workshop, technician):
    device = DeviceFactory(workshop=workshop, serial="PF1ABCDE", price_cents=4550, erased=False)

    def edit(row):
        row["Prix solidaire (€)"] = "39,5"  # typed 39,50; Excel keeps the number and drops the last zero

    result = stock_import.import_stock_csv(workshop=workshop, actor=technician, data=saved_by_excel(edit))

    assert result == {"created": 0, "updated": 1, "lost_letters": []}
    device.refresh_from_db()
    assert device.price_cents == 3950


def test_a_serial_excel_wrote_in_scientific_notation_is_refused_not_added_as_a_new_device(
    workshop, technician
):
    # A WD Blue SSD's serial, twelve digits: Excel shows it as 1,73587E+11 and saves what it shows.
    DeviceFactory(workshop=workshop, serial="173586804248", erased=False)

    def edit(row):
        row["Numéro de série"] = "1,73587E+11"

    with pytest.raises(RowErrors) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=saved_by_excel(edit))

    [error] = exc.value.errors
    assert (error["row"], error["field"]) == (2, "Numéro de série")
    assert "1,73587E+11" in str(error["message"]) and "Texte" in str(error["message"])
    assert list(Device.objects.values_list("serial", flat=True)) == ["173586804248"]


def test_a_serial_excel_stripped_of_its_leading_zeros_is_refused_naming_the_device_it_was(
    workshop, technician
):
    device = DeviceFactory(workshop=workshop, serial="0045821377", erased=False)

    def edit(row):
        row["Numéro de série"] = "45821377"

    with pytest.raises(RowErrors) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=saved_by_excel(edit))

    [error] = exc.value.errors
    assert "0045821377" in str(error["message"]) and device.asset_tag in str(error["message"])
    assert Device.objects.count() == 1
