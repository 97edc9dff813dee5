"""The one door through which stored text reaches a reportlab PDF (certificates, receipts, labels).

reportlab reads a Paragraph's text as markup: `<img src="/a/file"/>` embeds a file of the server, `<b>` left
open breaks the build (a 500), `&` alone is a syntax error. Names, titles, addresses and opening hours are typed
by people outside Rebond, so every text goes through `paragraph` (or `markup`) here and is shown as typed.
A test scans the code: nothing else builds a Paragraph.

Their tables share one look here too (`ruled`), and their pages one way of being set up (`document`).
"""

import unicodedata
from xml.sax.saxutils import escape

import segno
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

# The tint of a table's labels (its header row, or its first column) in every PDF the project draws.
LABEL_TINT = colors.HexColor("#e6ece9")


def plain(value) -> str:
    """The text without control characters (a NUL or an escape sequence pasted from a spreadsheet)."""
    text = "" if value is None else str(value)
    return "".join(char if char in "\n\t" or unicodedata.category(char) != "Cc" else " " for char in text)


def markup(value) -> str:
    """The text as reportlab markup that renders exactly the characters typed; line breaks are kept."""
    return escape(plain(value)).replace("\n", "<br/>")


def day(value) -> str:
    """A day on a printed paper, in the active language (« 31 mars 2027 », "31 March 2027")."""
    return date_format(value, "j F Y")


def paragraph(value, style) -> Paragraph:
    return Paragraph(markup(value), style)


def ruled(*, labels: str = "row", font: str | None = None) -> TableStyle:
    """The one look of a table in the project's PDFs: a thin grey grid, text at the top of its cell, the labels
    tinted, `labels` being the header "row" or the first "column"."""
    label_cells = ((0, 0), (-1, 0)) if labels == "row" else ((0, 0), (0, -1))
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", *label_cells, LABEL_TINT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if font:
        commands.insert(0, ("FONTNAME", (0, 0), (-1, -1), font))
    return TableStyle(commands)


def line(value, limit: int | None = None) -> str:
    """One line for `canvas.drawString` (which never reads markup): plain, on one line, cut at `limit`."""
    text = " ".join(plain(value).split())
    return text[:limit] if limit else text


def document(buffer, *, margins: tuple[float, float, float], page=A4, **metadata) -> SimpleDocTemplate:
    """A PDF written to `buffer`, with `margins` in mm as (left and right, top, bottom) and reportlab's document
    `metadata` (title, author, invariant…)."""
    sides, top, bottom = margins
    return SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=sides * mm,
        rightMargin=sides * mm,
        topMargin=top * mm,
        bottomMargin=bottom * mm,
        **metadata,
    )


# reportlab's padding on each side of a table cell, in points.
CELL_PADDING = 6


def _cell(value, style, width: float):
    """A table cell of `width` mm: the text as plain lines when each holds on one line of the column, a paragraph
    that wraps otherwise. Plain lines are drawn as typed (reportlab reads no markup in them) and cost a fraction
    of a paragraph's layout, which a certificate of 3,000 devices and their media needed 45,000 times (about
    half a minute of the donor's request, before)."""
    lines = [line(part) for part in str(value).split("\n")]
    room = width * mm - 2 * CELL_PADDING
    if all(stringWidth(text, style.fontName, style.fontSize) <= room for text in lines):
        return "\n".join(lines)
    return paragraph(value, style)


def long_table(rows, *, widths, style) -> LongTable:
    """A table that may run over pages, its header row repeated on each (widths in mm), its cells in `style`."""
    cells = [[_cell(value, style, width) for value, width in zip(row, widths, strict=True)] for row in rows]
    table = LongTable(cells, colWidths=[width * mm for width in widths], repeatRows=1)
    table.setStyle(ruled())
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), style.fontName),
            ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
            ("LEADING", (0, 0), (-1, -1), style.leading),
        ]
    )
    return table


def qr_form(canvas, name: str, text: str, size: float) -> None:
    """A QR code of `text` (`size` points square, with its quiet zone), drawn once as a form of the PDF named
    `name` that every page then shows (`canvas.doForm(name)`): a certificate of a few thousand devices runs to
    hundreds of pages, and encoding and drawing the QR module by module on each one made up a good part of its
    time and size."""
    qr = segno.make(text, error="m")
    matrix = list(qr.matrix)
    modules = len(matrix)
    cell = size / (modules + 8)
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
    canvas.setFillColor(colors.white)
    canvas.rect(0, 0, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for row_index, row in enumerate(matrix):
        for col_index, value in enumerate(row):
            if value:
                canvas.rect(
                    (col_index + 4) * cell, size - (row_index + 5) * cell, cell, cell, stroke=0, fill=1
                )
    canvas.endForm()
