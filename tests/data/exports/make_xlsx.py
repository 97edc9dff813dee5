"""Writes the XLSX samples of this folder (run from the repository root: `python tests/data/exports/make_xlsx.py`).

The rows are written here, from each tool's public documentation, because an XLSX cannot be typed by hand;
the files are committed, the tests read them as a donor's upload.
"""

import csv
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def save(name, rows, *, title=None, formats=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title or "Feuil1"
    for row in rows:
        sheet.append(row)
    for column, number_format in (formats or {}).items():
        for cell in sheet[column][1:]:
            cell.number_format = number_format
    workbook.properties.creator = "Rebond test data"
    workbook.save(HERE / name)


def table(text, *, numbers=(), dates=()):
    """Rows typed one a line, cells separated by ";": the columns in `numbers` become numbers (an empty one,
    no value), those in `dates` date cells (a bare number stays one, as Excel stores a date typed in a General
    cell)."""
    rows = []
    for line in text.strip().splitlines():
        row = line.split(";")
        for column in numbers:
            row[column] = None if not row[column] else (float if "." in row[column] else int)(row[column])
        for column in dates:
            row[column] = int(row[column]) if row[column].isdigit() else datetime.fromisoformat(row[column])
        rows.append(row)
    return rows


def glpi_fr():
    """GLPI 10 computers list exported as a spreadsheet: the same columns and text values as its CSV."""
    with open(HERE / "glpi_computers_fr.csv", encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source, delimiter=";"))
    save("glpi_computers_fr.xlsx", rows, title="GLPI")


def lansweeper():
    """Lansweeper asset report exported to Excel: SQL column names, memory in MB, dates as date cells, the
    asset type as Lansweeper names it (a platform for computers: "Windows", "Apple Mac", "Linux")."""
    header = [
        "AssetName",
        "AssetTypename",
        "Manufacturer",
        "Model",
        "Serialnumber",
        "Processor",
        "Memory",
        "OScaption",
        "IPAddress",
        "Lastseen",
        "PurchaseDate",
    ]
    rows = table(
        """
ACME-LT-301;Windows;Dell Inc.;Latitude 5490;6FJ8KL2;Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz;8192;Microsoft Windows 10 Pro;10.1.4.31;2026-02-27 09:31;2019-03-01
ACME-LT-302;Windows;HP;HP ProBook 450 G7;5CD0456DEF;Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz;16384;Microsoft Windows 11 Pro;10.1.4.32;2026-02-26 14:02;2020-09-14
ACME-DT-303;Windows;Dell Inc.;OptiPlex 7070;8KL9MN3;Intel(R) Core(TM) i7-9700 CPU @ 3.00GHz;16384;Microsoft Windows 10 Pro;10.1.4.33;2026-02-25 08:00;2019-11-04
ACME-MAC-304;Apple Mac;Apple Inc.;MacBook Pro;C02ZX1ABMD6T;Intel(R) Core(TM) i5-8257U CPU @ 1.40GHz;8192;macOS 12.7.3;10.1.4.34;2026-02-24 16:45;2020-06-02
ACME-LNX-305;Linux;LENOVO;ThinkCentre M720q;MJ0G5L3M;Intel(R) Core(TM) i3-8100T CPU @ 3.10GHz;8192;Debian GNU/Linux 12 (bookworm);10.1.4.35;2026-02-20 11:12;2019-05-20
ACME-MON-306;Monitor;Dell;P2419H;CN0D9X4F74261ABCDEFC;;;;;2026-02-27 09:31;2019-03-01
""",
        numbers=[6],
        dates=[9, 10],
    )
    save(
        "lansweeper_assets.xlsx",
        [header, *rows],
        title="Assets",
        formats={"J": "dd/mm/yyyy hh:mm", "K": "dd/mm/yyyy"},
    )


# The headers of a sheet typed by hand (here in Excel; make_workbooks.py types the same in LibreOffice Calc).
PLAIN_HEADER = [
    "Type de matériel",
    "Marque",
    "Modèle",
    "N° de série",
    "Date d'achat",
    "RAM (Go)",
    "Disque (Go)",
    "VNC (€)",
    "Observations",
]


def plain_sheet():
    """A sheet made by hand in Excel: a title row above the headers, French headers and plural types, purchase
    dates as date cells (one typed in a cell formatted as General, so stored as an Excel serial number)."""
    rows = [
        ["Parc informatique — matériel sorti d’inventaire en 2026"],
        [],
        PLAIN_HEADER,
        *table(
            """
Ordinateurs portables;Dell;Latitude 7400;GH5JK72;2019-10-03;16;512;120.0;Bon état
PC portable;Lenovo;ThinkPad X390;PF1TR5YU;2019-12-09;8;256;95.5;
Unité centrale;HP;EliteDesk 800 G4 SFF;CZC8411ABC;2018-11-20;8;256;40.0;Sans clavier
Écrans;Iiyama;ProLite XU2493HS;1129884455667;43536;;;15.0;
Tablettes;Samsung;Galaxy Tab S6 Lite;R52N80ABCDE;2020-09-01;4;64;60.0;Coque fournie
Téléphones;Apple;iPhone SE (2e génération);F4GZK1ABN72L;2020-06-15;3;64;45.0;
""",
            numbers=[5, 6, 7],
            dates=[4],
        ),
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sortie 2026"
    for row in rows:
        sheet.append(row)
    for cell in sheet["E"][3:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy"
    workbook.save(HERE / "plain_sheet.xlsx")


if __name__ == "__main__":
    glpi_fr()
    lansweeper()
    plain_sheet()
