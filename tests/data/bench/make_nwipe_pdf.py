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


def main():
    (HERE / "nwipe_certificate_t480.pdf").write_bytes(certificate())


if __name__ == "__main__":
    main()
