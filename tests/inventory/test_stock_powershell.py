"""A workshop's stock written by a script: Windows PowerShell 5.1's Export-Csv puts « #TYPE » and the
objects' type above the header unless told -NoTypeInformation (learn.microsoft.com, PowerShell 5.1 reference,
Export-Csv), quotes every field, separates with ","; its screen output saved with « > » is not a table."""

import codecs

import pytest

from inventory import stock_import
from inventory.models import Device
from inventory.services.stock_csv import RowErrors
from reuse.errors import InvalidInput
from tests.factories.manifests import workbook_bytes

pytestmark = pytest.mark.django_db

EXPORTED = (
    "#TYPE System.Management.Automation.PSCustomObject\r\n"
    '"Numéro de série","Type","Marque","Mémoire vive (Go)"\r\n'
    '"PF1ABCDE","laptop","Lenovo","16"\r\n'
    '"7XK2LM2","laptop","Dell","{ram}"\r\n'
)


def test_a_stock_file_exported_by_windows_powershell_is_imported(workshop, technician):
    # Export-Csv -Encoding UTF8 in 5.1 writes a byte order mark.
    data = EXPORTED.format(ram="8").encode("utf-8-sig")

    result = stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)

    assert result == {"created": 2, "updated": 0, "lost_letters": []}
    assert Device.objects.get(serial="7XK2LM2").brand == "Dell"


def test_errors_name_the_rows_as_the_spreadsheet_numbers_them(workshop, technician):
    data = EXPORTED.format(ram="beaucoup").encode("utf-8-sig")

    with pytest.raises(RowErrors) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)

    # Row 1 is the « #TYPE » line, row 2 the header.
    assert [error["row"] for error in exc.value.errors] == [4]
    assert not Device.objects.exists()


def test_a_saved_screen_output_is_refused_saying_to_use_export_csv(workshop, technician):
    shown = "\r\nNuméro de série Type   Marque\r\n--------------- ----   ------\r\nPF1ABCDE        laptop Lenovo\r\n\r\n"
    data = codecs.BOM_UTF16_LE + shown.encode("utf-16-le")

    with pytest.raises(InvalidInput, match="Export-Csv"):
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)
    assert not Device.objects.exists()


def test_a_stock_file_stating_its_separator_for_excel_is_imported(workshop, technician):
    # « sep=| » on the first line: Excel's separator hint, which export libraries write so that Excel opens the
    # file in columns (and which Excel does not show).
    data = "sep=|\r\nNuméro de série|Type|Marque\r\nPF1ABCDE|laptop|Lenovo, ThinkPad\r\n".encode("utf-8-sig")

    result = stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)

    assert result == {"created": 1, "updated": 0, "lost_letters": []}
    assert Device.objects.get(serial="PF1ABCDE").brand == "Lenovo, ThinkPad"


def test_the_export_opened_in_excel_and_saved_as_a_workbook_is_imported(workshop, technician):
    # Excel shows the « #TYPE » line in cell A1 and keeps it there when the file is saved as XLSX.
    data = workbook_bytes(
        [
            ["#TYPE System.Management.Automation.PSCustomObject"],
            ["Numéro de série", "Type", "Marque"],
            ["PF1ABCDE", "laptop", "Lenovo"],
        ]
    )

    result = stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)

    assert result == {"created": 1, "updated": 0, "lost_letters": []}
