"""Where a workshop's stock sheet puts its header, and how its tool wrote it.

- A title row above the header, as a workshop's spreadsheet often has (« Inventaire atelier — décembre »), saved by
  LibreOffice Calc or Excel as CSV: the title is a row of its own, the header comes below it.
- Windows PowerShell 5.1's Export-Csv with its default encoding (learn.microsoft.com, PowerShell 5.1 reference,
  Export-Csv: ASCII; .NET's ASCIIEncoding writes « ? » for each character it cannot encode): « Num?ro de s?rie ».
"""

import pytest

from inventory import stock_import
from inventory.models import Device
from reuse.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_a_title_row_above_the_header_is_skipped(workshop, technician):
    data = (
        "Inventaire atelier — décembre;;;\n"
        ";;;\n"
        "Numéro de série;Type;Marque;Modèle\n"
        "PF1ABCDE;Ordinateur portable;Lenovo;ThinkPad T480\n"
        "SERIAL-2;;Dell;Latitude 5490\n"
        "BAD;Grille-pain;;\n"
    ).encode()

    with pytest.raises(stock_import.RowErrors) as refused:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)

    # Rows keep the numbers the spreadsheet shows: the bad row is the sixth.
    assert [error["row"] for error in refused.value.errors] == [6]
    good = data.replace(b"BAD;Grille-pain;;\n", b"")
    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=good)["created"] == 2
    assert Device.objects.get(serial="SERIAL-2").type == "laptop"


def test_a_sheet_without_a_serial_column_is_still_refused_in_french(workshop, technician):
    data = "Inventaire atelier — décembre\nMarque;Modèle\nDell;Latitude\n".encode()

    with pytest.raises(InvalidInput, match="Numéro de série"):
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)


def test_headers_whose_accents_became_question_marks_are_read(workshop, technician):
    data = (
        "#TYPE System.Management.Automation.PSCustomObject\r\n"
        '"Num?ro de s?rie","Type","Marque","Mod?le","M?moire vive (Go)","Syst?me"\r\n'
        '"PF1ABCDE","Ordinateur portable","LENOVO","ThinkPad T480","16","Windows 11 Professionnel"\r\n'
    ).encode("ascii")

    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)["created"] == 1
    device = Device.objects.get(serial="PF1ABCDE")
    assert (device.ram_gb, device.os) == (16, "Windows 11 Professionnel")
