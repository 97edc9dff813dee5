"""Writes nwipe_certificate_t480.pdf (run from the repository root: `python tests/data/bench/make_nwipe_pdf.py`).

A one-disk certificate laid out as nwipe 0.35+ lays out its "Disk Erasure Report" (page 1, "Erasure Status"):
the same labels at the same places, the values of a ThinkPad T480's SSD; a PDF cannot be typed by hand.
"""

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent

HEADER = " Disk Model: Samsung SSD 860 EVO 500GB   Disk S/N: S3Z1NB0K512345A   System S/N: PF1ABCDE "
# (label, x, y, value, value x): positions in points from nwipe's create_single_disc_pdf.c. The values are written
# as nwipe writes them: "Verify Last" / "Verify All" / "Verify None" (src/create_pdf.c, 0.35 to 0.37).
FIELDS = [
    ("Business Name:", 60, 610, "Atelier du Réemploi", 155),
    ("Business Address:", 60, 590, "12 rue des Ateliers, 93200 Saint-Denis", 170),
    ("Contact Name:", 60, 570, "Camille Martin", 145),
    ("Contact Phone:", 300, 570, "01 23 45 67 89", 390),
    ("Name:", 60, 510, "Acme SAS", 100),
    ("Make/Model:", 60, 410, "Samsung SSD 860 EVO 500GB", 135),
    ("Serial:", 340, 410, "S3Z1NB0K512345A", 380),
    ("Bus:", 340, 390, "ATA", 370),
    ("Size(Apparent):", 60, 390, "500GB, 500107862016 bytes", 155),
    ("Size(Real):", 60, 370, "500GB, 500107862016 bytes", 130),
    ("Start time:", 60, 310, "2026/02/24 09:13:10", 125),
    ("End time:", 300, 310, "2026/02/24 10:02:44", 360),
    ("Duration:", 60, 290, "00:49:34", 115),
    ("Status:", 300, 290, "ERASED", 365),
    ("Method:", 60, 270, "PRNG Stream (forward)", 110),
    ("PRNG algorithm:", 300, 270, "Xoroshiro256", 395),
    ("Final Pass(Zeros/Ones/None):", 60, 250, "Zeros", 230),
    ("Verify Pass(Last/All/None):", 300, 250, "Verify Last", 450),
    ("*Bytes Erased:", 60, 230, "500107862016, (100.00%)", 150),
    ("Rounds(completed/requested):", 300, 230, "1/1", 470),
    ("HPA/DCO:", 60, 210, "No hidden sectors", 130),
    ("HPA/DCO Size:", 300, 210, "No hidden sectors", 390),
    ("Throughput:", 300, 190, "168MB/s", 370),
    ("Errors(pass/sync/verify):", 60, 190, "0/0/0", 210),
    ("Technician/Operator ID:", 60, 120, "atelier", 200),
]


def certificate(fields=FIELDS) -> bytes:
    """The certificate's bytes with `fields` as (label, x, y, value, value x) rows."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle("PDF Disk Erasure Certificate")
    pdf.setAuthor("Nwipe")
    pdf.setSubject("Disk Erase Certificate")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(200, 760, "Disk Erasure Report")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(60, 740, HEADER)
    pdf.drawString(60, 725, "Page 1 - Erasure Status")
    pdf.setFont("Helvetica", 12)
    pdf.drawString(50, 630, "Organisation Performing The Disk Erasure")
    pdf.drawString(50, 530, "Customer Details")
    pdf.drawString(50, 430, "Disk Information")
    pdf.drawString(50, 330, "Disk Erasure Details")
    for label, x, y, value, value_x in fields:
        pdf.setFont("Helvetica", 12)
        pdf.drawString(x, y, label)
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(value_x, y, value)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(200, 40, "Disc Erasure by NWIPE version 0.35")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- nwipe 0.41+: the "System Erasure Report" of a run, every drive of it in one PDF ----------------------------
# Laid out as src/create_system_multi_disc_pdf.c lays it out (nwipe 0.41, written beside the one-disk certificates,
# whatever --pdf says): under "Disk Erasure status", each drive is a block of nine lines of Courier-Bold 10, 10
# points apart, the first at y = 410; its status (ERASED, FAILED, ABORTED, INSANITY) is drawn turned a quarter
# (pdf_add_text_rotate, angle 1.5707) at x = 48, 20 points above the block's last line; 20 points between blocks,
# and a new page ("Page 2 - Erasure Status", first block at 630) once the next block would start below 210. Then
# the "SMBIOS/DMI Host Data" page ("System Serial Number    = …") and each drive's SMART page, headed with
# "Disk Model:" and "Disk S/N:" and "Erasure Status of this disk: S/N …".

SYSTEM_DRIVE = {
    "model": "Samsung SSD 860 EVO 500GB",
    "serial": "S3Z1NB0K512345A",
    "size": "500GB,500107862016b",
    "real": "500GB,500107862016b",
    "start": "2026/02/24 09:13:10",
    "end": "2026/02/24 10:02:44",
    "duration": "00:49:34",
    "errors": "0/0/0",
    "bytes": "500107862016, (100.00%)",
    "throughput": "168MB/sec",
    "method": "PRNG Stream",
    "prng": "XORoshiro256",
    "blank": "Zeros",
    "verify": "Last",
    "hpa": "No hidden sectors",
    "hpa_size": "No hidden sectors",
    "rounds": "1/1",
    "status": "ERASED",
    "warning": False,
}


def _drive_block(pdf, y: float, drive: dict, errors_label: str) -> None:
    rows = [
        ("Make:", 90, "model", "S/N:", 330, "serial"),
        ("Size(Apparent): ", 150, "size", "Size(Real): ", 370, "real"),
        ("Start time:", 150, "start", "End time:", 360, "end"),
        ("Duration:", 150, "duration", errors_label, 450, "errors"),
        ("*Bytes Erased:", 150, "bytes", "Throughput:", 360, "throughput"),
        ("Method:", 150, "method", "PRNG algorithm:", 395, "prng"),
        ("Blanking Pass:", 150, "blank", "Verify(Last/All/None):", 450, "verify"),
        ("HPA/DCO:", 150, "hpa", "HPA/DCO Size:", 390, "hpa_size"),
    ]
    pdf.setFont("Courier-Bold", 10)
    for left, left_x, left_key, right, right_x, right_key in rows:
        pdf.drawString(60, y, left)
        pdf.drawString(left_x, y, drive[left_key])
        pdf.drawString(300, y, right)
        pdf.drawString(right_x, y, drive[right_key])
        y -= 10
    pdf.drawString(60, y, "Rounds(completed/requested):")
    pdf.drawString(230, y, drive["rounds"])
    status = pdf.beginText()
    status.setTextTransform(0, 1, -1, 0, 48, y + 20)
    status.setFont("Helvetica", 12)
    status.textOut(drive["status"])
    pdf.drawText(status)
    if drive["warning"]:
        pdf.setFont("Courier-Bold", 10)
        pdf.drawString(300, y, "See Warning !")


def _system_header(pdf, page_title: str, version: str, model: str = "", serial: str = "") -> None:
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(297, 30, f"Disc Erasure by NWIPE version {version}")
    if model:
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawCentredString(297, 696, f" Disk Model: {model} ")
        pdf.drawCentredString(297, 681, f" Disk S/N: {serial} ")
    pdf.setFont("Helvetica", 24)
    pdf.drawCentredString(297, 765, "System Erasure Report")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(297, 745, page_title)


def system_report(drives, *, version: str = "0.41", host_serial: str = "PF1ABCDE") -> bytes:
    """nwipe's system report of one run over `drives` (each a SYSTEM_DRIVE with its own values)."""
    drives = [{**SYSTEM_DRIVE, **drive} for drive in drives]
    errors_label = "Errors(pass/sync/verify):" if version == "0.41" else "Errors(pass/sync/verify/retries):"
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle("PDF Disk Erasure Certificate")
    pdf.setAuthor("Nwipe")
    page = 1
    _system_header(pdf, "Page 1 - Erasure Status", version)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(50, 630, "Organisation Performing The Disk Erasure")
    pdf.drawString(60, 610, "Business Name:")
    pdf.drawString(153, 610, "Atelier du Réemploi")
    pdf.drawString(50, 530, "Customer Details")
    pdf.drawString(50, 430, "Disk Erasure status")
    pdf.drawString(50, 100, "Technician/Operator ID")
    pdf.drawString(60, 80, "Name/ID:")
    pdf.drawString(120, 80, "atelier")
    y = 410
    for drive in drives:
        if y < 210:
            pdf.showPage()
            page += 1
            y = 630
            _system_header(pdf, f"Page {page} - Erasure Status", version)
        _drive_block(pdf, y, drive, errors_label)
        y -= 100
    pdf.showPage()
    page += 1
    _system_header(pdf, f"Page {page} - SMBIOS/DMI Host Data", version)
    pdf.setFont("Courier", 10)
    pdf.drawString(60, 630, "System Manufacturer    = LENOVO")
    pdf.drawString(60, 618, f"System Serial Number   = {host_serial}")
    for drive in drives:
        pdf.showPage()
        page += 1
        _system_header(pdf, f"Page {page} - Smart Data", version, drive["model"], drive["serial"])
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(160, 627, f"Erasure Status of this disk: S/N {drive['serial']}")
        pdf.drawString(75, 626, drive["status"])
        pdf.setFont("Courier", 8)
        pdf.drawString(50, 608, f"Device Model:     {drive['model']}")
        pdf.drawString(50, 598, f"Serial Number:    {drive['serial']}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def main():
    (HERE / "nwipe_certificate_t480.pdf").write_bytes(certificate())


if __name__ == "__main__":
    main()
