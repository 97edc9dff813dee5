"""The one door through which stored text reaches a reportlab PDF (certificates, receipts, labels).

reportlab reads a Paragraph's text as markup: `<img src="/a/file"/>` embeds a file of the server, `<b>` left
open breaks the build (a 500), `&` alone is a syntax error. Names, titles, addresses and opening hours are typed
by people outside Rebond, so every text goes through `paragraph` (or `markup`) here and is shown as typed.
A test scans the code: nothing else builds a Paragraph.

Their tables share one look here too (`ruled`), and their pages one way of being set up (`document`).
"""

import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

# The tint of a table's labels (its header row, or its first column) in every PDF the project draws.
LABEL_TINT = colors.HexColor("#e6ece9")


def plain(value) -> str:
    """The text without control characters (a NUL or an escape sequence pasted from a spreadsheet)."""
    text = "" if value is None else str(value)
    return "".join(char if char in "\n\t" or unicodedata.category(char) != "Cc" else " " for char in text)


def markup(value) -> str:
    """The text as reportlab markup that renders exactly the characters typed; line breaks are kept."""
    return escape(plain(value)).replace("\n", "<br/>")


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
