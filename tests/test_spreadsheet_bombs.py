"""Spreadsheets that are small on disk and huge once read: the shared reader (`reuse.spreadsheets`, behind the
donors' manifests and the workshops' stock imports) refuses them in one French sentence within seconds.

Until it did, a 5 KB XLSX whose sheet declared the range A1:XFD1048576 had every row padded by openpyxl to
16,384 cells (a million of them between two real rows), an XLSX row numbered 999,999,999 had a billion empty
rows read before it, and an ODS row of 16,384 cells repeated a million times was expanded: each kept an import
worker busy for most of an hour before the manifest's own row limit was ever reached.
"""

import io
import re
import time
import zipfile

import openpyxl
import pytest

from reuse import spreadsheets

# Far above what the reader may produce before refusing such a file: reaching it means it did not refuse.
RUNAWAY_CELLS = 40_000_000
RUNAWAY_ROWS = 2_000_000


def xlsx(rows, *, far_cells=(), edit=None) -> bytes:
    """An XLSX as Excel's files are written by openpyxl; `far_cells` (row, column, value) placed anywhere on
    the sheet, and `edit` applied to the sheet's XML afterwards (what a hand-made file would hold)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for row, column, value in far_cells:
        sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if edit is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            archive.writestr(info, data)
    return out.getvalue()


def ods(rows_xml: bytes) -> bytes:
    """An ODS holding one sheet made of `rows_xml`, as LibreOffice zips it (the « mimetype » first, stored)."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        b'<office:body><office:spreadsheet><table:table table:name="Feuille1">'
        + rows_xml
        + b"</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def read_all(data: bytes) -> list[list[str]]:
    """Every row, failing the test (instead of running for an hour) when far more cells come than allowed."""
    rows, cells = [], 0
    for number, row in enumerate(spreadsheets.rows(io.BytesIO(data))):
        cells += len(row)
        assert cells < RUNAWAY_CELLS and number < RUNAWAY_ROWS, "the reader kept going on a spreadsheet bomb"
        if any(row):
            rows.append(row)
    return rows


HEADER = ["Numéro de série", "Marque", "Modèle"]


def declare_range(reference: bytes):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="' + reference + b'"/>', xml)


def test_a_sheet_declaring_the_whole_grid_is_read_as_wide_as_its_cells():
    # A range a file may state but its cells do not fill (a formatted column, a hand-made file): rows are as
    # wide as their own cells, so a real last row a million rows down costs a million empty rows, not 16 billion
    # cells.
    data = xlsx(
        [HEADER, ["SN1", "Dell", "Latitude 5490"]],
        far_cells=[(1_048_576, 1, "SN2")],
        edit=declare_range(b"A1:XFD1048576"),
    )
    assert len(data) < 10_000
    started = time.monotonic()
    rows = read_all(data)
    assert rows == [HEADER, ["SN1", "Dell", "Latitude 5490"], ["SN2"]]
    assert time.monotonic() - started < 30


def test_a_row_numbered_beyond_a_spreadsheets_last_row_is_refused():
    data = xlsx(
        [HEADER, ["SN1", "Dell", "Latitude 5490"]],
        far_cells=[(1_048_576, 1, "SN2")],
        edit=lambda xml: xml.replace(b"1048576", b"999999999"),
    )
    with pytest.raises(spreadsheets.UnreadableFile) as refused:
        read_all(data)
    assert "1\u202f048\u202f576 lignes" in str(refused.value.message)


def test_an_xlsx_whose_rows_reach_the_last_column_is_refused_by_its_number_of_columns():
    # 1,300 rows with a value in column XFD: 21 million cells from 40 KB.
    data = xlsx([HEADER], far_cells=[(row, 16_384, "x") for row in range(2, 1_302)])
    assert len(data) < 100_000
    with pytest.raises(spreadsheets.UnreadableFile) as refused:
        read_all(data)
    # Its first row with a value past column 1,000 is refused before the cells add up.
    assert "ligne 2 a plus de 1\u202f000 colonnes remplies" in str(refused.value.message)


def test_an_ods_row_repeated_a_million_times_across_every_column_is_refused():
    data = ods(
        b'<table:table-row><table:table-cell office:value-type="string"><text:p>Num\xc3\xa9ro de s\xc3\xa9rie'
        b"</text:p></table:table-cell></table:table-row>"
        b'<table:table-row table:number-rows-repeated="1000000">'
        b'<table:table-cell table:number-columns-repeated="16383"/>'
        b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        b"</table:table-row>"
    )
    assert len(data) < 1_000
    with pytest.raises(spreadsheets.UnreadableFile) as refused:
        read_all(data)
    assert "colonnes remplies" in str(refused.value.message)


def test_a_csv_of_separators_alone_is_refused_by_its_number_of_cells():
    # 20 MB of « ; » on a few lines: every one of them a cell.
    data = b"Num\xc3\xa9ro de s\xc3\xa9rie;Marque\r\n" + (b";" * 7_000_000 + b"\r\n") * 3
    with pytest.raises(spreadsheets.UnreadableFile) as refused:
        read_all(data)
    assert "cellules" in str(refused.value.message)
