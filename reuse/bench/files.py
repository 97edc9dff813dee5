"""The files `bench_import` uploads: a donor's manifest on the French template, and a GLPI computers export.

Each file is described by one table of (header, value of row i): the header and what goes under it are read
together, and a column is added or removed in one line.
"""

import csv
import io

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
