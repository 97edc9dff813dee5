"""QR labels, on A4 sheets or one a page for a roll label printer: each label opens the device page."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inventory.models import Device
from reuse.errors import InvalidInput
from reuse.pdf import line

# Sheet geometry in millimetres: columns, rows, label width/height, left/top margins, horizontal/vertical pitch.
LABEL_SHEETS = {
    "a4-3x7": {
        "name": "A4, 3 × 7 étiquettes 63,5 × 38,1 mm (type L7160)",
        "cols": 3,
        "rows": 7,
        "width": 63.5,
        "height": 38.1,
        "left": 7.2,
        "top": 15.15,
        "pitch_x": 66.0,
        "pitch_y": 38.1,
    },
    "a4-2x7": {
        "name": "A4, 2 × 7 étiquettes 99,1 × 38,1 mm (type L7163)",
        "cols": 2,
        "rows": 7,
        "width": 99.1,
        "height": 38.1,
        "left": 4.65,
        "top": 15.15,
        "pitch_x": 101.6,
        "pitch_y": 38.1,
    },
}

# Roll label printers print one label at a time: the PDF's page IS the label, as it is read (width × height, in
# mm), and `margin` (across, along, in mm) keeps the drawing inside what the print head reaches. Figures from the
# makers' media tables, as their drivers and public references reproduce them:
# - Brother QL, DK-11209 (62 × 29 mm die-cut): printable 696 × 271 dots at 300 dpi (58.9 × 22.9 mm), so 1.5 mm
#   at the sides and 3 mm top and bottom (Brother QL raster command reference, media table; the same figures in
#   pklaus/brother_ql, `brother_ql info labels`).
# - Brother QL, DK-22205 (62 mm continuous, cut at the page's length): the same 696 dots across and a 35-dot
#   (3 mm) feed margin at each cut (same sources); 36 mm long leaves a 30 mm QR code.
# - Dymo LabelWriter 99012 (36 × 89 mm "Large Address"), fed 36 mm across the head: printable 392 × 1922 dots
#   from (18, 134), 300 dpi across and 600 dpi along, so 1.5 mm across and up to 5.7 mm at the leading edge;
#   Dymo's software lays it out in landscape (89 × 36 mm), and the driver turns the page (Dymo LabelWriter paper
#   size table: PageDimensions, PrintableArea, PrintableOrigin; Dymo Label file format, PaperOrientation).
# - Dymo LabelWriter 11354 (57 × 32 mm "Multi-Purpose"): printable 651 × 678 dots from (12, 36): 1 mm across,
#   1.5 mm along (same table).
# - Zebra desktop printers, 2.25 × 1.25 in (57.15 × 31.75 mm): media "w162h90" of the CUPS Zebra ZPL driver
#   (zebra.ppd); a 203 dpi desktop head prints 56 mm wide at most, so 1.5 mm is kept on each side.
LABEL_ROLLS = {
    key: {"name": name, "width": width, "height": height, "margin": margin}
    for key, name, width, height, margin in (
        ("brother-62x29", "Brother QL, DK-11209 : 62 × 29 mm", 62.0, 29.0, (1.5, 3.0)),
        ("brother-62x36", "Brother QL, DK-22205 (62 mm continu), 62 × 36 mm", 62.0, 36.0, (1.5, 3.0)),
        ("dymo-99012", "Dymo LabelWriter 99012 : 89 × 36 mm", 89.0, 36.0, (6.0, 1.5)),
        ("dymo-11354", "Dymo LabelWriter 11354 : 57 × 32 mm", 57.0, 32.0, (1.5, 1.5)),
        ("zebra-57x32", "Zebra, 2,25 × 1,25 pouce (57 × 32 mm)", 57.15, 31.75, (1.5, 1.5)),
    )
}

DEFAULT_LABEL_FORMAT = "a4-3x7"

# The choices a label form offers, A4 sheets and rolls apart.
LABEL_FORMAT_CHOICES = [
    (gettext_lazy("Planches A4"), [(key, spec["name"]) for key, spec in LABEL_SHEETS.items()]),
    (
        gettext_lazy("Rouleau, une étiquette par page"),
        [(key, spec["name"]) for key, spec in LABEL_ROLLS.items()],
    ),
]

# Bitstream Vera ships inside reportlab and is embedded in the PDF: "é", "ç", "œ", "’" print whatever the
# printer's or the reader's fonts.
FONT, FONT_BOLD = "RebondLabel", "RebondLabel-Bold"
# A sheet label's own margins (mm): the QR code's quiet zone does the rest.
SHEET_MARGIN = (2.0, 3.0)
TAG_SIZE, TAG_MIN_SIZE = 14.0, 8.0

# One request prints at most this many labels (24 A4 sheets of 21): what a bench's queue holds, and a bound on the
# PDF a signed-in member can make the server draw.
MAX_LABELS = 500


def device_public_url(device: Device) -> str:
    return settings.PUBLIC_BASE_URL + reverse("inventory:device", args=[device.asset_tag])


def is_label_format(key) -> bool:
    return key in LABEL_SHEETS or key in LABEL_ROLLS


def fitted(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line, cut with an ellipsis so that it holds in `width` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text.rstrip() + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def wrapped(text: str, font: str, size: float, width: float) -> tuple[str, str]:
    """`text` on at most two lines of `width` points, broken between words, the second cut if it must be."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = text.split()
    taken = 0
    while taken < len(words) and stringWidth(" ".join(words[: taken + 1]), font, size) <= width:
        taken += 1
    if not taken:  # one word wider than the line
        return fitted(text, font, size, width), ""
    return " ".join(words[:taken]), fitted(" ".join(words[taken:]), font, size, width)


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((FONT, "Vera.ttf"), (FONT_BOLD, "VeraBd.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, file))


def _slots(spec: dict):
    """The page size and each label's box on it (left, top, width, height, margins), all in points."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    if "cols" not in spec:
        page = (spec["width"] * mm, spec["height"] * mm)
        return page, [(0.0, page[1], page[0], page[1], spec["margin"])]
    boxes = [
        (
            (spec["left"] + col * spec["pitch_x"]) * mm,
            A4[1] - (spec["top"] + row * spec["pitch_y"]) * mm,
            spec["width"] * mm,
            spec["height"] * mm,
            SHEET_MARGIN,
        )
        for row in range(spec["rows"])
        for col in range(spec["cols"])
    ]
    return A4, boxes


def _draw_label(pdf, device: Device, box) -> None:
    """One label in its box: the QR code (quiet zone included) on the left; on the right the tag large, then
    brand and model (on two lines if need be), serial and type, each cut to the room left."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import getAscentDescent

    left, top, width, height, (margin_x, margin_y) = box
    inner_width, inner_height = width - 2 * margin_x * mm, height - 2 * margin_y * mm
    qr_size = min(inner_height, inner_width * 0.45)
    widget = QrCodeWidget(device_public_url(device), barLevel="M")  # its bounds hold a 4-module quiet zone
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
    drawing.add(widget)
    inner_left, inner_top = left + margin_x * mm, top - margin_y * mm
    renderPDF.draw(drawing, pdf, inner_left, inner_top - qr_size)

    text_x = inner_left + qr_size + 1 * mm
    text_width = inner_left + inner_width - text_x
    tag = line(device.asset_tag)
    size = TAG_SIZE
    while size > TAG_MIN_SIZE and pdf.stringWidth(tag, FONT_BOLD, size) > text_width:
        size -= 0.5
    serial = line(f"S/N {device.serial}") if device.serial else ""
    ascent = getAscentDescent(FONT_BOLD, size)[0]
    # The four lines' size: what the height left allows (a line is 1.3 times its size, and the last one's
    # descent), smaller (down to 6.5 pt) for the serial to hold whole.
    descent = -getAscentDescent(FONT, 1)[1]
    small = max(6.5, min(9.0, (inner_height - ascent - size * 0.25) / (4 * 1.3 + descent)))
    while small > 6.5 and pdf.stringWidth(serial, FONT, small) > text_width:
        small -= 0.25
    if pdf.stringWidth(serial, FONT, small) > text_width:
        serial = line(device.serial)  # without its "S/N", rather than cut
    y = inner_top - ascent
    pdf.setFont(FONT_BOLD, size)
    pdf.drawString(text_x, y, fitted(tag, FONT_BOLD, size, text_width))
    y -= size * 0.25
    pdf.setFont(FONT, small)
    identity = wrapped(line(f"{device.brand} {device.model}"), FONT, small, text_width)
    for text in (*identity, serial, line(device.get_type_display()) if device.type else ""):
        y -= small * 1.3
        pdf.drawString(text_x, y, fitted(text, FONT, small, text_width))


def labels_pdf(devices, sheet: str = DEFAULT_LABEL_FORMAT) -> bytes:
    """QR labels on an A4 sheet, or one a page for a roll printer; each QR opens the device page (for the
    workshop signed in)."""
    from reportlab.pdfgen import canvas

    if not is_label_format(sheet):
        raise InvalidInput(
            _(
                "Format d’étiquettes inconnu : « %(format)s ». Choisissez une planche A4 ou un rouleau de la liste."
            )
            % {"format": line(sheet, 40)}
        )
    devices = list(devices)
    if not devices:
        raise InvalidInput(_("Aucun appareil à étiqueter."))
    if len(devices) > MAX_LABELS:
        raise InvalidInput(
            _("Au plus %(count)s étiquettes à la fois : imprimez-les en plusieurs fois.")
            % {"count": MAX_LABELS}
        )
    _register_fonts()
    page, boxes = _slots(LABEL_SHEETS.get(sheet) or LABEL_ROLLS[sheet])
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=page, pageCompression=1)
    pdf.setTitle("Étiquettes Rebond")
    for index, device in enumerate(devices):
        if index and index % len(boxes) == 0:
            pdf.showPage()
        _draw_label(pdf, device, boxes[index % len(boxes)])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
