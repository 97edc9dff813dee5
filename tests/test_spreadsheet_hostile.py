"""CSV files that break a reader rather than fill it: the shared reader (`reuse.spreadsheets`, behind donors'
manifests and workshops' stock imports) either reads them as the person meant or refuses them in French.

- Two exports joined end to end (« copy /b parc1.csv+parc2.csv parc.csv » on Windows, « cat » elsewhere): each
  « CSV UTF-8 » file Excel saves starts with a byte order mark (support.microsoft.com, « Open UTF-8 CSV files
  correctly in Excel »), so the second header starts with U+FEFF in the middle of the file.
- A NUL byte: no spreadsheet writes one; a file cut short by a crash or a full disk is padded with them.
- A cell longer than Python's csv field limit (131,072 characters): a quote left open swallows the rest.
- A header row of 100,000 columns (a few hundred kilobytes).
"""

import io
import time

import openpyxl
import pytest

from donations.manifest import ManifestReader
from reuse import spreadsheets

HEADER = "Numéro de série;Marque;Modèle;Type\r\n"


def read(data: bytes) -> list:
    return list(ManifestReader(io.BytesIO(data)).rows())


def test_two_exports_joined_end_to_end_read_their_second_header_as_a_repeated_header():
    data = "\ufeff".encode() + (HEADER + "SN1;Dell;Latitude;portable\r\n").encode()
    joined = data + data.replace(b"SN1", b"SN2")

    reader = ManifestReader(io.BytesIO(joined))
    rows = list(reader.rows())

    assert [row.values["serial"] for row in rows] == ["SN1", "SN2"]
    assert [row.errors for row in rows] == [[], []]
    assert reader.repeated_headers == [3]


def test_a_nul_byte_past_the_first_kilobytes_refuses_the_file_in_french():
    rows = "".join(f"SN{number};Dell;Latitude;portable\r\n" for number in range(300))
    data = (HEADER + rows + "AB\x00C;Dell;Lat\x00itude;portable\r\n").encode()

    with pytest.raises(spreadsheets.UnreadableFile, match="ligne 302 contient des caractères nuls"):
        read(data)


def test_a_cell_past_the_csv_field_limit_is_refused_in_french_with_its_line():
    data = (HEADER + "SN1;Dell;Latitude;portable\r\n" + '"SN2;' + "x" * 200_000 + "\r\n").encode()

    with pytest.raises(spreadsheets.UnreadableFile) as refused:
        read(data)

    assert "ligne 3" in refused.value.message and "131\u202f072 caractères" in refused.value.message
    assert "field" not in refused.value.message


def test_a_header_of_a_hundred_thousand_columns_is_refused_within_seconds():
    header = "Numéro de série;" + ";".join(f"colonne{number}" for number in range(100_000))
    data = (header + "\r\nSN1;" + ";".join("v" for _ in range(100_000)) + "\r\n").encode()

    started = time.monotonic()
    with pytest.raises(spreadsheets.UnreadableFile, match="plus de 1\u202f000 colonnes"):
        read(data)
    assert time.monotonic() - started < 10


def test_a_wide_row_of_blank_cells_is_read_as_its_filled_cells():
    data = (HEADER + "SN1;Dell;Latitude;portable" + ";" * 5_000 + "\r\n").encode()

    assert [row.values["serial"] for row in read(data)] == ["SN1"]


def test_mixed_line_endings_and_newlines_inside_quoted_cells_read_as_the_spreadsheet_shows_them():
    data = (HEADER.rstrip() + '\nSN1;Dell;"Latitude\n5490";portable\rSN2;HP;EliteBook;portable\r\n').encode()

    assert [(row.number, row.values["model"]) for row in read(data)] == [
        (2, "Latitude\n5490"),
        (3, "EliteBook"),
    ]


def test_formulas_are_read_as_their_last_value_and_never_run():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Numéro de série", "Marque", "Modèle", "Type"])
    sheet.append(
        [
            "SN1",
            '=WEBSERVICE("https://example.org/x")',
            '=HYPERLINK("https://example.org","Latitude")',
            "portable",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    (row,) = read(buffer.getvalue())

    # openpyxl saves no computed value: the cells read empty, never as the formula's text.
    assert (row.values["brand"], row.values["model"]) == ("", "")
