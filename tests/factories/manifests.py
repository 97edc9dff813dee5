"""Manifest files as a donor uploads them: French headers, CSV in any encoding and delimiter, or XLSX."""

import csv
import io

import openpyxl

FRENCH_HEADER = [
    "Type d'appareil",
    "Marque",
    "Modèle",
    "Numéro de série",
    "Numéro d'inventaire",
    "Année",
    "Processeur",
    "Mémoire",
    "Stockage",
    "État",
    "Quantité",
]


def french_rows(count=3, start=1):
    return [
        [
            "Ordinateur portable",
            "Lenovo",
            "ThinkPad T480",
            f"PF1{i:07d}",
            f"INV-{i:05d}",
            "2019",
            "Intel Core i5-8350U",
            "8 Go",
            "256 Go",
            "Écran rayé, fonctionne",
            "1",
        ]
        for i in range(start, start + count)
    ]


def csv_bytes(rows, header=FRENCH_HEADER, delimiter=";", encoding="cp1252", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def workbook_bytes(rows) -> bytes:
    """A workbook as openpyxl writes it, rows as given: number and date cells typed as a spreadsheet types them."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows, header=FRENCH_HEADER):
    return workbook_bytes([header, *rows])
