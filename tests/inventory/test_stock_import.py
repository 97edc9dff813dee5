"""The stock import reads what spreadsheets write: XLSX, LibreOffice's ODS, Excel 97-2003's XLS, Excel's « Texte
Unicode » (UTF-16, tabs), CSV with `;`, `,` or tabs in UTF-8 or Windows-1252: the same reader as the donors'
manifests, the same French errors."""

import codecs
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from inventory import stock_import
from inventory.models import Device
from inventory.services.stock_csv import RowErrors
from reuse.errors import InvalidInput
from tests.factories.manifests import workbook_bytes

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def unicode_text(lines) -> bytes:
    """Excel's « Enregistrer sous > Texte Unicode »: UTF-16LE with its BOM, tab separated, CRLF."""
    return codecs.BOM_UTF16_LE + "".join("\t".join(line) + "\r\n" for line in lines).encode("utf-16-le")


def test_an_xlsx_file_imports_with_typed_cells(workshop, technician):
    content = workbook_bytes(
        [
            [
                "Numéro de série",
                "Type",
                "Marque",
                "Prix solidaire (€)",
                "Mémoire vive (Go)",
                "Écran (pouces)",
                "Reçu le",
            ],
            ["X-1", "Ordinateur portable", "Lenovo", 12.5, 8, 13.3, datetime(2026, 3, 1, 10, 30)],
            ["X-2", "tablet", "Apple", None, 4, 10.0, None],
        ]
    )

    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content) == {
        "created": 2,
        "updated": 0,
        "lost_letters": [],
    }
    first = Device.objects.get(serial="X-1")
    assert (first.type, first.brand, first.price_cents, first.ram_gb) == ("laptop", "Lenovo", 1250, 8)
    assert first.screen_inches == Decimal("13.3")
    assert Device.objects.get(serial="X-2").type == "tablet"


def test_an_xlsx_row_error_names_the_spreadsheet_row_and_writes_nothing(workshop, technician):
    content = workbook_bytes([["Serial number", "Type"], ["X-1", "laptop"], ["X-2", "toaster"]])

    with pytest.raises(RowErrors) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content)
    assert [(error["row"], error["field"]) for error in exc.value.errors] == [(3, "Type")]
    assert not Device.objects.exists()


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_a_stock_list_kept_in_libreoffice_imports_as_ods_or_xls(workshop, technician, extension):
    """Saved by LibreOffice Calc 7.4 (tests/data/exports/make_workbooks.py): a price cell of 12.5, a date cell."""
    content = (EXPORTS / f"libreoffice_workshop_stock.{extension}").read_bytes()

    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content) == {
        "created": 2,
        "updated": 0,
        "lost_letters": [],
    }
    first = Device.objects.get(serial="ODS-1")
    assert (first.type, first.brand, first.model, first.price_cents, first.ram_gb) == (
        "laptop",
        "Lenovo",
        "ThinkPad T480",
        1250,
        8,
    )
    assert Device.objects.get(serial="ODS-2").type == "tablet"


def test_a_damaged_ods_is_refused_whole_and_writes_nothing(workshop, technician):
    content = (EXPORTS / "libreoffice_workshop_stock.ods").read_bytes()[:3000]

    with pytest.raises(InvalidInput) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content)
    assert exc.value.message.startswith("Ce fichier ODS est incomplet ou endommagé")
    assert not Device.objects.exists()


def test_excel_unicode_text_utf16_tab_separated_imports(workshop, technician):
    content = unicode_text(
        [
            ["Serial number", "Type", "Brand", "Model", "Solidarity price (€)"],
            ["U-1", "Laptop", "Médion", "Akoya É14", "45,00"],
            ["U-2", "smartphone", "Samsung", "Galaxy A52", ""],
        ]
    )

    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content) == {
        "created": 2,
        "updated": 0,
        "lost_letters": [],
    }
    device = Device.objects.get(serial="U-1")
    assert (device.brand, device.model, device.price_cents) == ("Médion", "Akoya É14", 4500)


@pytest.mark.parametrize(
    ("separator", "encoding"),
    [("\t", "utf-8"), ("\t", "cp1252"), (";", "utf-8-sig"), (";", "cp1252"), (",", "utf-8")],
)
def test_csv_separators_and_encodings(workshop, technician, separator, encoding):
    lines = [["Numéro de série", "Type", "Marque"], ["C-1", "Écran", "Iiyama"]]
    content = "".join(separator.join(line) + "\r\n" for line in lines).encode(encoding)

    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content)["created"] == 1
    assert Device.objects.get(serial="C-1").type == "monitor"


def test_a_file_that_is_not_a_spreadsheet_is_refused_naming_what_it_looks_like(workshop, technician):
    content = codecs.BOM_UTF16_LE + '{"devices": [{"serial": "X"}]}'.encode("utf-16-le")

    with pytest.raises(InvalidInput) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content)
    assert exc.value.message == (
        "Type de fichier non pris en charge : ce fichier ressemble à des données JSON, pas à un tableur ; "
        "envoyez un fichier CSV, XLSX, ODS ou XLS."
    )
    assert not Device.objects.exists()


def test_a_new_device_s_type_is_read_like_a_donor_s_manifest_or_inferred(workshop, technician):
    """A stock list kept by hand says « Ordinateurs portables » or « Smartphones », or leaves the type empty where
    the system and model say it: read as the donors' manifests are; what nobody can tell is still refused."""
    content = workbook_bytes(
        [
            ["Numéro de série", "Type", "Marque", "Modèle", "Système"],
            ["T-1", "Ordinateurs portables", "HP", "EliteBook 840 G5", ""],
            ["T-2", "", "Apple", "iPad 9", "iPadOS 17"],
            ["T-3", "", "Dell", "Latitude 5420", "Windows 11"],
        ]
    )
    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=content)["created"] == 3
    assert dict(Device.objects.filter(serial__startswith="T-").values_list("serial", "type")) == {
        "T-1": "laptop",
        "T-2": "tablet",
        "T-3": "laptop",
    }
    unknown = workbook_bytes([["Numéro de série", "Type", "Modèle"], ["T-4", "", "XK-77"]])
    with pytest.raises(RowErrors):
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=unknown)
    assert not Device.objects.filter(serial="T-4").exists()
