"""The one XLSX writer (reuse.workbooks.xlsx_bytes): what a person typed is stored as text, never as a formula.

OWASP's « CSV Injection » page names the same attack for spreadsheets: a cell starting with = + - @ that the
tableur runs. In the Office Open XML format (ECMA-376 Part 1, §18.3.1.4 « c (Cell) »), a cell of type t="s" or
t="inlineStr" is text, while a formula is an <f> element: a text cell is shown, never computed."""

import io

import openpyxl

from reuse.workbooks import xlsx_bytes


def test_a_formula_typed_by_a_person_is_kept_as_text_and_numbers_stay_numbers():
    rows = [["Numéro de série", "Prix"], ['=HYPERLINK("http://evil.example","clic")', 25], ["@SUM(A1)", 3.5]]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows, sheet="Devenir")))
    sheet = workbook["Devenir"]
    assert sheet["A2"].value == '=HYPERLINK("http://evil.example","clic")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].data_type == "s"
    assert sheet["B2"].value == 25 and sheet["B2"].data_type == "n"
