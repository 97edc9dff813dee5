"""Rebond's exports opened in Excel: serials made of digits, IMEIs, postcodes (01000) and department codes must
read back as written. Excel types what a CSV holds as it reads it (Microsoft's « Keeping leading zeros and large
numbers »: « 0045821377 » becomes 45821377, a 15-digit IMEI 3,52099E+14), so the XLSX is the Excel format: each
text cell is a string (ECMA-376 Part 1, §18.3.1.4, t="s") with the « Text » number format « @ » (§18.8.30,
built-in format 49), which also keeps Excel from retyping the cell when a person edits it. Read back here with
openpyxl, as Excel would open the file."""

import io

import openpyxl
import pytest

from inventory import stock_import
from inventory.donor_reports import outcomes
from inventory.models import Device
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

SERIALS = ["0045821377", "352099001761481", "8933150319123456789"]


def cells_by_header(content: bytes, header: str) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows())
    column = [cell.value for cell in rows[0]].index(header)
    return [row[column] for row in rows[1:]]


def assert_text_cells(cells, values):
    assert [cell.value for cell in cells] == values
    assert {(cell.data_type, cell.number_format) for cell in cells} == {("s", "@")}


def test_the_outcome_workbook_keeps_serials_as_text_excel_will_not_retype(workshop):
    lot = LotFactory()
    for serial in SERIALS:
        DeviceFactory(workshop=workshop, lot=lot, serial=serial, erased=False)

    content = outcomes.export_xlsx(lot)

    assert_text_cells(cells_by_header(content, outcomes.EXPORT_HEADER[0]), SERIALS)


def test_the_stock_is_offered_as_a_workbook_with_its_serials_as_text(client, workshop, technician):
    for serial in SERIALS:
        DeviceFactory(workshop=workshop, serial=serial, erased=False)
    client.force_login(technician)

    page = client.get("/atelier/stock/").content.decode()
    response = client.get("/atelier/stock.xlsx")

    assert "stock.xlsx" in page and "Excel" in page
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert_text_cells(cells_by_header(response.content, "Numéro de série"), SERIALS)


def test_the_stock_workbook_imports_back_unchanged(client, workshop, technician):
    for serial in SERIALS:
        DeviceFactory(workshop=workshop, serial=serial, erased=False)
    client.force_login(technician)

    content = client.get("/atelier/stock.xlsx").content
    result = stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content)

    assert result == {"created": 0, "updated": 3, "lost_letters": []}
    assert sorted(Device.objects.values_list("serial", flat=True)) == sorted(SERIALS)
