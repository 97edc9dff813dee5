"""Label formats: A4 sheets and roll printers (one label a page, the page the size of the label), what a label
shows and where, its QR code, and printing at speed (the format remembered, one action after a check-in)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

from inventory.models import Device
from inventory.services.labels import (
    FONT,
    FONT_BOLD,
    LABEL_ROLLS,
    LABEL_SHEETS,
    SHEET_MARGIN,
    device_public_url,
    labels_pdf,
)
from reuse.errors import InvalidInput
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

LONG_MODEL = "EliteBook 840 G5 Healthcare Édition spéciale cœur de gamme " + "W" * 60


def _device(workshop, **fields):
    values = {
        "brand": "Hewlett-Packard",
        "model": "EliteBook 840 G5",
        "serial": "5CG8123XYZ",
        "type": "laptop",
    }
    return DeviceFactory(workshop=workshop, **{**values, **fields})


def _label_box(key):
    """The first label's box (left, bottom, right, top in points) and the margins kept inside it."""
    if key in LABEL_ROLLS:
        spec = LABEL_ROLLS[key]
        return (0, 0, spec["width"] * mm, spec["height"] * mm), spec["margin"]
    spec = LABEL_SHEETS[key]
    left, top = spec["left"] * mm, A4[1] - spec["top"] * mm
    return (left, top - spec["height"] * mm, left + spec["width"] * mm, top), SHEET_MARGIN


def _texts(page):
    """Each line of text drawn: (text, x, baseline, font size, bold)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y, size, "Bold" in str(font.get("/BaseFont", ""))))

    page.extract_text(visitor_text=visit)
    return found


def _dark_modules(page, reader):
    """The filled rectangles of the page in page coordinates (x, y, width, height): the QR code's dark runs."""
    stack, ctm, path, rects = [], [1, 0, 0, 1, 0, 0], [], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = [
                a * A + b * C,
                a * B + b * D,
                c * A + d * C,
                c * B + d * D,
                e * A + f * C + E,
                e * B + f * D + F,
            ]
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            path.append((ctm[0] * x + ctm[4], ctm[3] * y + ctm[5], ctm[0] * w, ctm[3] * h))
        elif operator in (b"f", b"f*"):
            rects += path
            path = []
        elif operator == b"n":
            path = []
    return rects


@pytest.mark.parametrize("key", list(LABEL_ROLLS))
def test_a_roll_format_prints_one_label_a_page_the_page_being_the_label(workshop, key):
    spec = LABEL_ROLLS[key]
    devices = [_device(workshop) for _ in range(3)]
    reader = PdfReader(io.BytesIO(labels_pdf(devices, sheet=key)))
    assert len(reader.pages) == 3
    for page, device in zip(reader.pages, devices, strict=True):
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(
            (spec["width"] * mm, spec["height"] * mm)
        )
        assert box.width > box.height  # in the label's reading orientation: the driver turns it if it must
        assert device.asset_tag in page.extract_text()


@pytest.mark.parametrize(("key", "count", "pages"), [("a4-3x7", 22, 2), ("a4-2x7", 14, 1), ("a4-2x7", 15, 2)])
def test_the_a4_sheets_are_still_offered(workshop, key, count, pages):
    reader = PdfReader(io.BytesIO(labels_pdf([_device(workshop) for _ in range(count)], sheet=key)))
    assert len(reader.pages) == pages
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx(
        A4
    )


@pytest.mark.parametrize("key", [*LABEL_ROLLS, *LABEL_SHEETS])
def test_every_text_holds_inside_the_label_and_a_long_model_is_cut(workshop, key):
    device = _device(workshop, model=LONG_MODEL, serial="SN-" + "7" * 15)
    page = PdfReader(io.BytesIO(labels_pdf([device], sheet=key))).pages[0]
    (left, bottom, right, top), (margin_x, margin_y) = _label_box(key)
    texts = _texts(page)
    for text, x, y, size, bold in texts:
        font = FONT_BOLD if bold else FONT
        ascent, descent = getAscentDescent(font, size)
        assert (
            x >= left + margin_x * mm - 0.01
            and x + stringWidth(text, font, size) <= right - margin_x * mm + 0.01
        )
        assert y + descent >= bottom + margin_y * mm - 0.01 and y + ascent <= top - margin_y * mm + 0.01, (
            key,
            text,
        )
    shown = [text for text, *_ in texts]
    assert shown[0] == device.asset_tag and texts[0][3] >= 12 and texts[0][4]  # the tag, large and bold
    assert "Hewlett-Packard" in " ".join(shown)
    assert any(text.endswith("…") and "EliteBook" in " ".join(shown) for text in shown)
    assert LONG_MODEL not in " ".join(shown)
    assert f"S/N {device.serial}" in shown or device.serial in shown  # the serial whole
    assert "Ordinateur portable" in " ".join(shown) or any(t.startswith("Ordinateur") for t in shown)


def test_accents_print_in_a_font_the_pdf_carries(workshop):
    """A label printer's driver draws the page with what the PDF carries: a font left to the reader's choice
    (Helvetica, not embedded) is replaced by another whose widths are not those the text was cut to."""
    device = _device(workshop, brand="Société Générale", model="Œuvre ça")
    page = PdfReader(io.BytesIO(labels_pdf([device], sheet="brother-62x29"))).pages[0]
    assert "Société Générale" in page.extract_text() and "Œuvre ça" in page.extract_text()
    fonts = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: text.strip() and fonts.append(font))
    assert len(fonts) == 5
    for font in fonts:
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


@pytest.mark.parametrize("key", [*LABEL_ROLLS, *LABEL_SHEETS])
def test_the_qr_code_is_the_device_url_at_least_15_mm_with_its_quiet_zone(workshop, settings, key):
    """No QR decoder is installed: the dark modules drawn are read back from the PDF and compared, module by
    module, with the QR encoding of the device's public URL."""
    settings.PUBLIC_BASE_URL = "https://rebond.example.org"
    device = _device(workshop)
    reader = PdfReader(io.BytesIO(labels_pdf([device], sheet=key)))
    rects = _dark_modules(reader.pages[0], reader)
    module = min(h for *_, h in rects)
    x0, y0 = min(x for x, *_ in rects), min(y for _, y, *_ in rects)
    x1, y1 = max(x + w for x, _, w, _ in rects), max(y + h for _, y, _, h in rects)
    assert x1 - x0 >= 15 * mm and y1 - y0 >= 15 * mm

    widget = QrCodeWidget(device_public_url(device), barLevel="M")
    widget.draw()
    expected = [[bool(cell) for cell in row] for row in widget.qr.modules]
    size = len(expected)
    assert round((x1 - x0) / module) == size
    drawn = [[False] * size for _ in range(size)]
    for x, y, w, h in rects:
        row, col = round((y1 - y - h) / module), round((x - x0) / module)
        for step in range(round(w / module)):
            drawn[row][col + step] = True
    assert drawn == expected

    # Four light modules all around, inside the label's printable area, and no text on them.
    (left, bottom, right, top), (margin_x, margin_y) = _label_box(key)
    quiet = 4 * module
    assert x0 - quiet >= left + margin_x * mm - 0.01 and y1 + quiet <= top - margin_y * mm + 0.01
    assert y0 - quiet >= bottom + margin_y * mm - 0.01
    assert all(x >= x1 + quiet for _, x, *_ in _texts(reader.pages[0]))


def test_an_unknown_format_is_refused_with_a_clear_message(bench_client, workshop):
    device = _device(workshop)
    with pytest.raises(InvalidInput, match="Format d’étiquettes inconnu : « a5-x »"):
        labels_pdf([device], sheet="a5-x")
    response = bench_client.get(
        reverse("inventory:labels"), {"tag": device.asset_tag, "sheet": "a5-x"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("inventory:stock")
    assert (
        "Format d’étiquettes inconnu : « a5-x ». Choisissez une planche A4 ou un rouleau de la liste." in page
    )
    assert not bench_client.session.get("label_format")


def test_the_format_printed_last_is_offered_first_wherever_labels_print(bench_client, workshop):
    device = _device(workshop)
    response = bench_client.get(reverse("inventory:labels"), {"tag": device.asset_tag, "sheet": "dymo-11354"})
    assert response["Content-Type"] == "application/pdf"
    selected = '<option value="dymo-11354" selected>'
    session = bench_client.session
    # The bench offers a format once a label waits, the check-in page once a device is received.
    session["label_queue"], session["last_check_in"] = [device.asset_tag], device.asset_tag
    session.save()
    pages = [
        reverse("inventory:bench"),
        reverse("inventory:check_in"),
        reverse("inventory:stock"),
        reverse("inventory:device", args=[device.asset_tag]),
    ]
    for url in pages:
        page = bench_client.get(url).content.decode()
        assert selected in page, url
        assert '<option value="a4-3x7">' in page  # the A4 sheets stay on offer
    # Without a format, the request prints in the one remembered.
    again = bench_client.get(reverse("inventory:labels"), {"tag": device.asset_tag})
    box = PdfReader(io.BytesIO(again.content)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((57 * mm, 32 * mm))


def test_after_a_check_in_its_label_prints_in_one_action(bench_client, workshop):
    bench_client.get(
        reverse("inventory:labels"), {"tag": _device(workshop).asset_tag, "sheet": "brother-62x29"}
    )
    page = bench_client.post(
        reverse("inventory:check_in"), {"serial": "NEW-123", "type": "laptop", "brand": "Dell"}, follow=True
    ).content.decode()
    tag = Device.objects.get(serial="NEW-123").asset_tag
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*class="label-print">(.*?)</form>', page, re.S)
    assert form, "no print form on the page the scanner comes back to"
    # Submitting it as it stands (a button, reachable from the keyboard) sends the tag and the format chosen.
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(2)))
    fields["sheet"] = re.search(r'<option value="([^"]+)" selected>', form.group(2)).group(1)
    assert fields == {"tag": tag, "sheet": "brother-62x29"}
    assert re.search(r'<button type="submit">[^<]*' + tag, form.group(2))
    reader = PdfReader(io.BytesIO(bench_client.get(form.group(1), fields).content))
    assert len(reader.pages) == 1 and tag in reader.pages[0].extract_text()
    assert float(reader.pages[0].mediabox.width) == pytest.approx(62 * mm)
