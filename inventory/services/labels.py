"""QR label sheets: each label opens the device page."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

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


# One request prints at most this many labels (24 A4 sheets of 21): what a bench's queue holds, and a bound on the
# PDF a signed-in member can make the server draw.
MAX_LABELS = 500


def device_public_url(device: Device) -> str:
    return settings.PUBLIC_BASE_URL + reverse("inventory:device", args=[device.asset_tag])


def labels_pdf(devices, sheet: str = "a4-3x7") -> bytes:
    """A sheet of QR labels; each QR opens the device page (for the workshop signed in)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    if sheet not in LABEL_SHEETS:
        raise InvalidInput(_("Format de planche inconnu."))
    spec = LABEL_SHEETS[sheet]
    devices = list(devices)
    if not devices:
        raise InvalidInput(_("Aucun appareil à étiqueter."))
    if len(devices) > MAX_LABELS:
        raise InvalidInput(
            _("Au plus %(count)s étiquettes à la fois : imprimez-les en plusieurs fois.")
            % {"count": MAX_LABELS}
        )
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle("Étiquettes Rebond")
    page_height = A4[1]
    per_page = spec["cols"] * spec["rows"]
    qr_size = spec["height"] * mm - 6 * mm
    for index, device in enumerate(devices):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        col, row = slot % spec["cols"], slot // spec["cols"]
        x = spec["left"] * mm + col * spec["pitch_x"] * mm
        top = page_height - spec["top"] * mm - row * spec["pitch_y"] * mm
        widget = QrCodeWidget(device_public_url(device), barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, x + 2 * mm, top - 3 * mm - qr_size)
        text_x = x + qr_size + 4 * mm
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(text_x, top - 10 * mm, line(device.asset_tag))
        pdf.setFont("Helvetica", 7)
        pdf.drawString(text_x, top - 15 * mm, line(f"{device.brand} {device.model}", 28))
        pdf.drawString(text_x, top - 19 * mm, line(f"S/N {device.serial}", 28) if device.serial else "")
        pdf.drawString(text_x, top - 23 * mm, line(device.get_type_display(), 28))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
