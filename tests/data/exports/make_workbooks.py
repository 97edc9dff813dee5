"""Writes the LibreOffice samples of this folder: `python tests/data/exports/make_workbooks.py` from the
repository root, with LibreOffice installed (`soffice`).

Each sheet is typed here as a flat OpenDocument file (.fods), then LibreOffice Calc itself saves it as .ods and
as « Excel 97-2003 » .xls (`soffice --convert-to`): the committed files are what Calc writes, with its own
content.xml (repeated rows and cells, covered cells under a merged title, date cells, cached formula results,
comments) and its own BIFF8 records. The tests read them as a donor's or a workshop's upload.
"""

import csv
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from make_xlsx import PLAIN_HEADER

HERE = Path(__file__).resolve().parent

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:styles>
 <number:date-style style:name="N37"><number:day number:style="long"/><number:text>/</number:text>
  <number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="N37"/>
</office:styles>
<office:body><office:spreadsheet>
"""
TAIL = "</office:spreadsheet></office:body></office:document>\n"


def text(value, *, comment=None, span=None):
    """A text cell; `comment` attaches a note (it is not the cell's value), `span` merges it over columns."""
    spanned = f' table:number-columns-spanned="{span}" table:number-rows-spanned="1"' if span else ""
    note = ""
    if comment:
        note = f"<office:annotation><dc:creator>J. Martin</dc:creator><text:p>{escape(comment)}</text:p></office:annotation>"
    return f'<table:table-cell office:value-type="string"{spanned}>{note}<text:p>{escape(value)}</text:p></table:table-cell>'


def number(value, formula=None):
    formula = f' table:formula="{escape(formula)}"' if formula else ""
    return f'<table:table-cell office:value-type="float" office:value="{value}"{formula}><text:p>{value}</text:p></table:table-cell>'


def day(iso):
    shown = "/".join(reversed(iso.split("-")))
    return (
        f'<table:table-cell table:style-name="date" office:value-type="date" office:date-value="{iso}">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


EMPTY = "<table:table-cell/>"


def sheet(name, rows):
    body = "".join(f"<table:table-row>{''.join(cells)}</table:table-row>\n" for cells in rows)
    return f'<table:table table:name="{name}">\n{body}</table:table>\n'


def typed(line, kinds="tttttnnnt"):
    """A row typed as « cell;cell;… », each column of the kind `kinds` gives it: text, a date (d), a number (n)."""
    makers = {"t": text, "d": day, "n": lambda value: number(float(value) if "." in value else int(value))}
    return [
        makers[kind](value) if value else EMPTY for kind, value in zip(kinds, line.split(";"), strict=False)
    ]


def association_sheet():
    """An association's inventory typed in LibreOffice Calc: a title merged over the columns, a blank row, French
    headers (those of make_xlsx.py's sheet typed in Excel), purchase dates as date cells, a serial with a leading
    zero typed as text, a note on a cell, two identical rows of monitors without serial, a storage size computed
    by a formula, a totals row; and a second sheet that is not read."""
    kinds = "ttttdnnnt"
    monitors = typed("Écrans;Dell;P2219H;;2019-03-12;;;15", kinds)
    tablet = typed("Tablettes;Samsung;Galaxy Tab S6 Lite;R52N80ABCDE;2020-09-01;4", kinds)
    rows = [
        [text("Parc informatique — matériel réformé en 2026 (Association Entraide Numérique)", span=9)],
        [],
        [text(name) for name in PLAIN_HEADER],
        typed("Ordinateurs portables;Dell;Latitude 7400;GH5JK72;2019-10-03;16;512;120", kinds)
        + [text("Bon état", comment="Vérifié le 4 mars")],
        typed("PC portable;Lenovo;ThinkPad X390;PF1TR5YU;2019-12-09;8;256;95.5", kinds),
        typed("Unité centrale;HP;EliteDesk 800 G4 SFF;CZC8411ABC;2018-11-20;8;256;40;Sans clavier", kinds),
        monitors,
        monitors,
        typed("Téléphones;Apple;iPhone SE;0F4GZK1ABN72L;2020-06-15;3;64;45", kinds),
        tablet + [number(64, "of:=2*32"), number(60)],
        typed("Total", kinds) + [EMPTY] * 6 + [number(390.5, "of:=SUM([.H4:.H10])")],
    ]
    other = sheet("Notes", [[text("Enlèvement prévu le 12 janvier")]])
    return HEAD + sheet("Sortie 2026", rows) + other + TAIL


def workshop_stock_sheet():
    """A workshop's stock list kept in Calc, with the headers of Rebond's stock export."""
    rows = [
        [text(name) for name in ("Numéro de série", "Type", "Marque", "Modèle", "Prix solidaire (€)")]
        + [text("Mémoire vive (Go)"), text("Reçu le")],
        [text("ODS-1"), text("Ordinateur portable"), text("Lenovo"), text("ThinkPad T480"), number(12.5)]
        + [number(8), day("2026-03-01")],
        [text("ODS-2"), text("Tablette"), text("Apple"), text("iPad 6"), EMPTY, number(2)],
    ]
    return HEAD + sheet("Stock", rows) + TAIL


# A profile of its own, where Calc recalculates formulas on loading, as it does for a person who types them.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def convert(name, source):
    with tempfile.TemporaryDirectory() as folder:
        flat = Path(folder) / f"{name}.fods"
        flat.write_text(source, encoding="utf-8")
        (Path(folder) / "profile" / "user").mkdir(parents=True)
        (Path(folder) / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE)
        profile = f"-env:UserInstallation=file://{folder}/profile"
        for target in ("ods", "xls:MS Excel 97"):
            subprocess.run(
                ["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(HERE), str(flat)],
                check=True,
                capture_output=True,
            )


def glpi_sylk():
    """GLPI 9.5 and 10's « SLK » search export of the computers list written in
    src/Search/Output/SYLKSearchOutput.php (glpi-project/glpi): an « ID;PGLPI_EXPORT » record, number formats and
    fonts, the sheet's size, column widths, then each cell as an F record giving its place (the row only on a
    row's first column) followed by « C;N;K"value" »; a value's `"` becomes `''`, its `;` is not doubled; UTF-8,
    LF line ends, « E » at the end. The cells are those of glpi_computers_fr.csv, the same list exported as CSV."""
    with open(HERE / "glpi_computers_fr.csv", encoding="utf-8-sig", newline="") as source:
        header, *rows = list(csv.reader(source, delimiter=";"))
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
    out = ["ID;PGLPI_EXPORT", "", "P;PGeneral", "P;P#,##0.00", "P;P#,##0", "P;P@", ""]
    out += ["P;EArial;M200", "P;EArial;M200", "P;EArial;M200", "P;FArial;M200;SB", ""]
    out += [f"B;Y{len(rows)};X{len(header)}", ""]
    out += [f"F;W{number} {number} {min(50, width)}" for number, width in enumerate(widths, start=1)] + [""]
    for number, value in enumerate(header, start=1):
        out += [f"F;SDM4;FG0C;{'Y1;' if number == 1 else ''}X{number}", f'C;N;K"{value}"', ""]
    for row_number, row in enumerate(rows, start=2):
        for number, value in enumerate(row, start=1):
            value = value.replace('"', "''")
            out += [f"F;P3;FG0L;{f'Y{row_number};' if number == 1 else ''}X{number}", f'C;N;K"{value}"']
    out.append("E")
    (HERE / "glpi_computers_fr.slk").write_bytes(("\n".join(out) + "\n").encode("utf-8"))


# PhpSpreadsheet's DefaultValueBinder: a text that reads as a number is stored as one, unless it starts with 0.
NUMERIC = re.compile(r"^[+-]?(\d+\.?\d*|\d*\.?\d+)([Ee][-+]?[0-2]?\d{1,3})?$")
PHPSPREADSHEET_NS = " ".join(
    f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}"'
    for prefix, name in (
        ("office", "office:1.0"),
        ("style", "style:1.0"),
        ("text", "text:1.0"),
        ("table", "table:1.0"),
    )
)


def phpspreadsheet_cell(value):
    digits = value.lstrip("+-")
    if NUMERIC.match(value) and not (len(digits) > 1 and digits[0] == "0" and digits[1] != "."):
        return (
            f'<table:table-cell table:style-name="ce0" office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell table:style-name="ce0" office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def glpi11_ods():
    """GLPI 11's « ODS » search export: src/Search/Output/Spreadsheet.php (glpi-project/glpi) puts the header
    names and each row's displayed values in one PhpSpreadsheet sheet, cell by cell, and saves it with
    PhpSpreadsheet's ODS writer; its content.xml is laid out as PhpSpreadsheet/Writer/Ods/Content.php writes it
    (OpenDocument 1.2, a sheet named « Worksheet », each row padded to 1024 columns by one repeated empty cell,
    a text that reads as a number stored as a float). The values are those of glpi_computers_fr.csv."""
    with open(HERE / "glpi_computers_fr.csv", encoding="utf-8-sig", newline="") as source:
        header, *rows = list(csv.reader(source, delimiter=";"))
    body = ""
    for row in [header, *rows]:
        padding = f'<table:table-cell table:number-columns-repeated="{1024 - len(row)}"/>'
        body += f"<table:table-row>{''.join(phpspreadsheet_cell(value) for value in row)}{padding}</table:table-row>"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {PHPSPREADSHEET_NS} office:version="1.2">'
        "<office:scripts/><office:font-face-decls/><office:automatic-styles>"
        '<style:style style:family="table" style:name="ta1"><style:table-properties table:display="true"/>'
        '</style:style><style:style style:name="ce0" style:family="table-cell" style:parent-style-name="Default">'
        "</style:style></office:automatic-styles><office:body><office:spreadsheet><table:calculation-settings/>"
        f'<table:table table:name="Worksheet" table:style-name="ta1"><office:forms/>{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(HERE / "glpi11_computers_fr.ods", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
            '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr(
            "meta.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">'
            "<office:meta><meta:initial-creator>GLPI 11.0.1</meta:initial-creator></office:meta>"
            "</office:document-meta>",
        )
        archive.writestr("content.xml", content)


if __name__ == "__main__":
    glpi_sylk()
    glpi11_ods()
    convert("libreoffice_association_sheet", association_sheet())
    convert("libreoffice_workshop_stock", workshop_stock_sheet())
