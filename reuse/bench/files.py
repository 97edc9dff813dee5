"""The files `bench_import` uploads: a donor's manifest on the French template, and a GLPI computers export.

Each file is described by one table of (header, value of row i): the header and what goes under it are read
together, and a column is added or removed in one line.
"""

import csv
import io
from itertools import chain

from reuse.workbooks import xlsx_bytes

# The manifest's own French template (cp1252, ";"), every row the same laptop with its own serial.
MANIFEST_COLUMNS = [
    ("Type d'appareil", lambda i: "Ordinateur portable"),
    ("Marque", lambda i: "Lenovo"),
    ("Modèle", lambda i: "ThinkPad T480"),
    ("Numéro de série", lambda i: f"BENCH{i:09d}"),
    ("Numéro d'inventaire", lambda i: f"INV-{i:07d}"),
    ("Année", lambda i: "2019"),
    ("Processeur", lambda i: "Intel Core i5-8350U"),
    ("Mémoire", lambda i: "8 Go"),
    ("Stockage", lambda i: "256 Go"),
    ("État", lambda i: "Rayures légères, écran intact"),
    ("Quantité", lambda i: "1"),
]
GLPI_MODELS = [
    ("Dell Inc.", "Notebook", "Latitude 5490"),
    ("LENOVO", "Laptop", "ThinkPad T480"),
    ("HP", "Mini Tower", "HP ProDesk 400 G6 MT"),
    ("Dell Inc.", "Desktop", "OptiPlex 7060"),
    ("HP", "All in One", "HP ProOne 440 G6"),
    ("LENOVO", "", "ThinkPad L14 Gen 1"),
]


def _model(i: int) -> tuple[str, str, str]:
    return GLPI_MODELS[i % len(GLPI_MODELS)]


# A GLPI computers list exported to CSV from the French interface: 15 columns of which 4 are ignored, chassis
# types to normalise, some rows without a type (inferred from the model), memory and disk in Mio, dd-mm-yyyy.
GLPI_COLUMNS = [
    ("Nom", lambda i: f"PC-{i:06d}"),
    ("Entité", lambda i: "Entité racine > Siège"),
    ("Statut", lambda i: "Au rebut"),
    ("Fabricant", lambda i: _model(i)[0]),
    ("Numéro de série", lambda i: f"GLPI{i:08d}"),
    ("Type", lambda i: _model(i)[1]),
    ("Modèle", lambda i: _model(i)[2]),
    ("Système d'exploitation - Nom", lambda i: "Microsoft Windows 10 Professionnel"),
    ("Lieu", lambda i: "Siège > 2e étage"),
    ("Dernière modification", lambda i: "2026-03-12 09:14"),
    ("Composants - Processeur", lambda i: "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz"),
    ("Mémoire (Mio)", lambda i: "8192"),
    ("Composants - Disque dur - Capacité (Mio)", lambda i: "244198"),
    ("Numéro d'inventaire", lambda i: f"INV-{i:07d}"),
    ("Informations financières et administratives - Date d'achat", lambda i: _purchase_date(i)),
]


def _purchase_date(i: int) -> str:
    return f"{1 + i % 28:02d}-{1 + i % 12:02d}-{2017 + i % 5}"


def _csv(columns, rows: int, **dialect) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", **dialect)
    writer.writerow([header for header, _ in columns])
    for i in range(rows):
        writer.writerow([value(i) for _, value in columns])
    return buffer.getvalue()


def manifest(rows: int) -> bytes:
    return _csv(MANIFEST_COLUMNS, rows).encode("cp1252")


def glpi_export(rows: int) -> bytes:
    """As GLPI writes it: UTF-8 with BOM, every value quoted."""
    return b"\xef\xbb\xbf" + _csv(GLPI_COLUMNS, rows, quoting=csv.QUOTE_ALL).encode("utf-8")


# Maker, model and total storage (MB) as Intune reports them, one device a line.
INTUNE_MODELS = [
    line.split(";")
    for line in """Dell Inc.;Latitude 5420;244198
HP;HP EliteBook 840 G8;488386
LENOVO;ThinkPad T14 Gen 2;244198
Microsoft Corporation;Surface Pro 7;121942
Apple;iPhone 12;121942""".splitlines()
]
# Intune's "Export" of All devices (Devices > All devices): English headers, every value quoted, UTF-8 with BOM,
# a comma between values, storage in MB. The columns Rebond ignores are kept: a real export has them all.
INTUNE_HEADER = (
    "Device ID,Device name,Enrollment date,Last check-in,OS version,Serial number,Manufacturer,Model,IMEI,"
    "Total storage,Free storage,Primary user UPN,Compliance,Managed by,Ownership,Device state,Encrypted,OS,"
    "JoinType,ProcessorArchitecture"
).split(",")
INTUNE_SAME = {
    "Enrollment date": "2021-03-04 09:12:45.0000000",
    "Last check-in": "2026-02-27 18:02:11.0000000",
    "OS version": "10.0.19045.3930",
    "Free storage": "120114",
    "Compliance": "Compliant",
    "Managed by": "Intune",
    "Ownership": "Corporate",
    "Device state": "Retired",
    "Encrypted": "True",
    "JoinType": "Azure AD joined",
    "ProcessorArchitecture": "x64",
}


def _intune_row(i: int) -> dict:
    maker, model, storage = INTUNE_MODELS[i % len(INTUNE_MODELS)]
    phone = model.startswith("iPhone")
    return {
        **INTUNE_SAME,
        "Device ID": f"6c1f{i:04x}-2b7e-4a6d-9f0e-0c3a5b7d{i:04x}",
        "Device name": f"ACME-LT-{i:05d}",
        "Serial number": f"INT{i:07d}",
        "Manufacturer": maker,
        "Model": model,
        "IMEI": f"35{i:013d}" if phone else "",
        "Total storage": storage,
        "Primary user UPN": f"agent{i}@acme.example",
        "OS": "iOS/iPadOS" if phone else "Windows",
    }


def intune_export(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, INTUNE_HEADER, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(_intune_row(i) for i in range(rows))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def glpi_xlsx(rows: int) -> bytes:
    """The GLPI computers list saved as a spreadsheet: the CSV's columns and text values, one sheet."""
    header = [header for header, _ in GLPI_COLUMNS]
    lines = ([value(i) for _, value in GLPI_COLUMNS] for i in range(rows))
    return xlsx_bytes(chain([header], lines), sheet="GLPI")
