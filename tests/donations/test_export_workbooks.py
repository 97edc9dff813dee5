"""Manifests saved by LibreOffice Calc (.ods), by Excel 97-2003 (.xls) and GLPI's « SLK » export, uploaded unchanged.

The .ods and .xls samples were saved by LibreOffice Calc 7.4 itself from the sheet typed in
tests/data/exports/make_workbooks.py (its content.xml is Calc's: covered cells under the merged title, date
cells, a note on a cell, cached formula results); the .slk follows GLPI's src/Search/Output/SYLKSearchOutput.php
(glpi-project/glpi, 9.5 and 10: Export > SLK), the GLPI 11 .ods its src/Search/Output/Spreadsheet.php saved by
PhpSpreadsheet's Writer/Ods/Content.php (both built in make_workbooks.py). The cases of damaged or hostile workbooks are built here, laid out
as Calc lays out its content.xml (OpenDocument 1.3, part 3: table:table-row, table:number-rows-repeated,
table:number-columns-repeated, office:value-type).
"""

import io
import zipfile

import pytest

from donations.models import LotItem
from reuse import spreadsheets
from reuse.errors import render_text
from tests.donations.export_helpers import items, job_of, sample

pytestmark = pytest.mark.django_db

# serial: (type, RAM GB, storage GB, year)
ASSOCIATION = {
    "GH5JK72": ("laptop", 16, 512, 2019),
    "PF1TR5YU": ("laptop", 8, 256, 2019),
    "CZC8411ABC": ("desktop", 8, 256, 2018),
    # Typed as text in Calc: its leading zero is kept.
    "0F4GZK1ABN72L": ("smartphone", 3, 64, 2020),
    # Its storage is a formula (=2*32): its computed value is read.
    "R52N80ABCDE": ("tablet", 4, 64, 2020),
}


@pytest.mark.parametrize("name", ["libreoffice_association_sheet.ods", "libreoffice_association_sheet.xls"])
def test_a_sheet_saved_by_libreoffice_imports_unchanged(donor_client, upload, name):
    job = job_of(upload(donor_client, donor_client.lot, sample(name), name))

    assert job.state == "done", (job.message, job.needs, job.errors[:3])
    # Five devices with a serial, two monitors without one; the title, the blank row and the totals row are not
    # devices, and the second sheet (« Notes ») is not read.
    assert job.created_rows == 7 and job.error_count == 0
    stored = items(donor_client.lot)
    for serial, expected in ASSOCIATION.items():
        item = stored[serial]
        assert (item.type, item.ram_gb, item.storage_gb, item.year) == expected, serial
    monitors = LotItem.objects.filter(lot=donor_client.lot, serial="")
    assert [(item.type, item.brand, item.model, item.year) for item in monitors] == [
        ("monitor", "Dell", "P2219H", 2019)
    ] * 2
    assert not LotItem.objects.filter(lot=donor_client.lot, model__icontains="Vérifié").exists()


@pytest.mark.parametrize("name", ["glpi_computers_fr.slk", "glpi11_computers_fr.ods"])
def test_glpis_slk_and_ods_exports_import_like_its_csv(donor_client, upload, name):
    """GLPI 9.5 and 10 export a search as SLK, GLPI 11 as ODS (PhpSpreadsheet's writer: numbers as floats)."""
    job = job_of(upload(donor_client, donor_client.lot, sample(name), name))

    assert job.state == "done", (job.message, job.needs, job.errors[:3])
    assert job.created_rows == 12 and job.summary["plan"]["tool"] == "glpi"
    stored = items(donor_client.lot)
    assert (stored["4X7K2L2"].type, stored["4X7K2L2"].ram_gb, stored["4X7K2L2"].storage_gb) == (
        "laptop",
        8,
        256,
    )
    assert stored["021547394853"].type == "tablet"


def test_sylk_values_keep_their_semicolons_and_cells_find_their_place_from_f_records():
    content = (
        'ID;PGLPI_EXPORT\n\nB;Y2;X3\n\nF;SDM4;FG0C;Y1;X1\nC;N;K"Nom"\n\nF;SDM4;FG0C;X3\nC;N;K"Modèle"\n\n'
        'F;P3;FG0L;Y2;X1\nC;N;K"PC; compta"\nF;P3;FG0L;X2\nC;N;K8192\n'
        "F;P3;FG0L;X3\nC;N;K\"Latitude ''E7''\"\nE\n"
    ).encode()

    assert list(spreadsheets.rows(io.BytesIO(content))) == [
        ["Nom", "", "Modèle"],
        ["PC; compta", "8192", "Latitude ''E7''"],
    ]


CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet><table:table table:name="Feuille1">
<table:table-column table:number-columns-repeated="1024"/>
{rows}
</table:table></office:spreadsheet></office:body></office:document-content>"""


def ods(rows: str, *, content: str = CONTENT, manifest: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content.replace("{rows}", rows))
        archive.writestr("META-INF/manifest.xml", manifest or '<manifest:manifest xmlns:manifest="x"/>')
    return buffer.getvalue()


def cell(value: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}><text:p>{value}</text:p></table:table-cell>'
    )


def test_calcs_repeated_rows_and_cells_are_expanded_only_where_a_value_follows():
    # Calc writes identical rows once with a count, and pads every row and the rest of the sheet with empty
    # cells and rows repeated to its limits (1024 columns, 1048576 rows).
    rows = (
        f"<table:table-row>{cell('Marque')}{cell('Modèle')}{cell('Remarque')}"
        '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>'
        f'<table:table-row table:number-rows-repeated="2">{cell("Dell")}{cell("P2219H")}'
        '<table:table-cell table:number-columns-repeated="1022"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>"
        f"<table:table-row>{cell('HP')}"
        '<table:table-cell table:number-columns-repeated="1"/>'
        f"{cell('s;1', 2)}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048568">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )

    assert list(spreadsheets.rows(io.BytesIO(ods(rows)))) == [
        ["Marque", "Modèle", "Remarque"],
        ["Dell", "P2219H"],
        ["Dell", "P2219H"],
        [],
        [],
        [],
        ["HP", "", "s;1", "s;1"],
    ]


def test_text_runs_spaces_and_notes_of_an_ods_cell_read_as_calc_shows_them():
    rows = (
        '<table:table-row><table:table-cell office:value-type="string">'
        "<office:annotation><text:p>Note de J.</text:p></office:annotation>"
        '<text:p>Sans<text:s text:c="2"/><text:span>clavier</text:span></text:p></table:table-cell>'
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>VRAI</text:p>'
        "</table:table-cell>"
        '<table:table-cell office:value-type="date" office:date-value="2026-03-01T10:30:00">'
        "<text:p>01/03/26 10:30</text:p></table:table-cell>"
        '<table:table-cell office:value-type="percentage" office:value="0.85"><text:p>85 %</text:p>'
        "</table:table-cell>"
        # PhpSpreadsheet's boolean: office:value, no office:boolean-value.
        '<table:table-cell office:value-type="boolean" office:value="1"><text:p>1</text:p></table:table-cell>'
        '<table:table-cell office:value-type="boolean" office:value=""><text:p></text:p></table:table-cell>'
        f"{cell('fin')}</table:table-row>"
    )

    assert list(spreadsheets.rows(io.BytesIO(ods(rows)))) == [
        ["Sans  clavier", "oui", "01/03/2026 10:30", "0.85", "oui", "non", "fin"]
    ]


def test_a_table_nested_in_a_cell_is_not_read_as_rows_of_the_sheet():
    nested = (
        '<table:table-cell office:value-type="string"><table:table table:name="dans une cellule">'
        f"<table:table-row>{cell('pas une ligne')}</table:table-row></table:table></table:table-cell>"
    )
    rows = f"<table:table-row>{cell('Marque')}{nested}</table:table-row><table:table-row>{cell('Dell')}</table:table-row>"

    assert list(spreadsheets.rows(io.BytesIO(ods(rows)))) == [["Marque"], ["Dell"]]


def _word_document() -> bytes:
    """An OLE2 compound file that holds no workbook (a Word 97 .doc has the same container as an .xls)."""
    return sample("libreoffice_association_sheet.xls").replace(
        "Workbook".encode("utf-16-le"), "WordDocu".encode("utf-16-le")
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (sample("libreoffice_association_sheet.ods")[:4000], "tronque.ods", "Ce fichier ODS est incomplet"),
        (
            ods(
                "",
                content='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;{rows}</x>',
            ),
            "entites.ods",
            "Ce fichier ODS est incomplet",
        ),
        (
            ods(cell("x"), manifest="<manifest:manifest><manifest:encryption-data/></manifest:manifest>"),
            "protege.ods",
            "protégé par un mot de passe",
        ),
        (
            ods(f'<table:table-row table:number-rows-repeated="99999999">{cell("x")}</table:table-row>'),
            "trop.ods",
            "Ce fichier ODS est incomplet",
        ),
        (_word_document(), "rapport.xls", "n’est pas un classeur"),
        (sample("libreoffice_association_sheet.xls")[:3000], "tronque.xls", "(.xls) est illisible"),
    ],
)
def test_damaged_or_hostile_workbooks_get_a_clear_message_and_write_nothing(
    donor_client, upload, content, name, message
):
    job = job_of(upload(donor_client, donor_client.lot, content, name))

    assert job.state == "failed" and message in render_text(job.message), job.message
    assert LotItem.objects.count() == 0
