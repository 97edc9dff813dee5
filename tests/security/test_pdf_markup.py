"""Markup typed into names, titles and addresses reaches every PDF as text: no embedded file, no 500.

reportlab reads a Paragraph's text as markup; `reuse.pdf` is the one door through which text reaches it.
"""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from donations import receipt_pdf, receipts
from donations.models import ReceiptValueCap
from inventory.donor_reports import certificates
from inventory.services.labels import labels_pdf
from reuse.claims.receipts import handover_receipt_pdf
from reuse.claims.services import reservations
from tests.documents import pdf_text
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, workshop_with_member
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# A server file embedded as an image, a bold left open, a bare ampersand, a paragraph closed early.
IMG = '<img src="/etc/passwd"/>'
TITLE = f'Parc {IMG} <b>gras & Cie </para> <font color="red">rouge'
NAME = "Dupont <b>&amp; fils & Cie"
ADDRESS = '<a href="javascript:x">1 rue</a> <img src="/etc/hosts"/>'


def assert_shown_as_text(content: bytes, *expected: str) -> None:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert all(not page.images for page in reader.pages), "a file was embedded as an image"
    text = pdf_text(content)
    for value in expected:
        assert " ".join(value.split()) in text


@pytest.fixture
def received_lot():
    workshop, technician = workshop_with_member(may_issue_tax_receipts=True)
    workshop.name, workshop.address = f"Atelier {NAME}", ADDRESS
    workshop.save()
    donor, donor_user = donor_with_member(name=f"Donateur {NAME}")
    donor.address = ADDRESS
    donor.save()
    lot = LotFactory(donor=donor, created_by=donor_user, workshop=workshop, received=True, title=TITLE)
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 25000})
    item = LotItemFactory(lot=lot, net_book_value_cents=5000, brand="<b>Len&vo", model=IMG)
    device = DeviceFactory(workshop=workshop, lot=lot, serial=item.serial, brand=item.brand, model=item.model)
    ErasureRecordFactory(ssd=True, device=device, media_make="<b>", media_model=IMG, tool="nwipe & <i>")
    return lot, donor_user, technician, device


def test_the_erasure_certificate_shows_markup_as_text(received_lot):
    lot, donor_user, _technician, _device = received_lot
    certificate = certificates.issue_certificate(lot=lot, user=donor_user)
    assert_shown_as_text(
        certificates.render_pdf(certificate), TITLE, f"Donateur {NAME}", f"Atelier {NAME}", IMG
    )


def test_the_tax_receipt_shows_markup_as_text(received_lot):
    lot, donor_user, _technician, _device = received_lot
    receipt = receipts.issue_tax_receipt(lot=lot, user=donor_user, donor_legal_form="SAS <b>")
    assert_shown_as_text(receipt_pdf.render_pdf(receipt), TITLE, f"Atelier {NAME}", "SAS <b>", "1 rue")


def test_the_label_sheet_shows_markup_as_text(received_lot):
    _lot, _donor_user, _technician, device = received_lot
    content = labels_pdf([device])
    assert_shown_as_text(content, "<b>Len&vo", device.asset_tag)


def test_the_handover_receipt_shows_markup_as_text():
    ProgrammeFactory()
    device = DeviceFactory(listed=True, brand="<b>Dell & co", model=IMG)
    workshop = device.workshop
    workshop.name, workshop.address, workshop.email = f"Atelier {NAME}", ADDRESS, "atelier@example.test"
    workshop.save()
    claim = reservations.create_claim(actor=eligible(), device_id=device.pk)
    assert_shown_as_text(handover_receipt_pdf(claim), f"Atelier {NAME}", "<b>Dell & co", IMG, "1 rue")


def test_nothing_but_reuse_pdf_builds_a_paragraph():
    """A new PDF cannot forget the escaping: reportlab's Paragraph is built in one module only."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        # Hidden folders hold virtualenvs (.venv, .venv-runtime) and caches, not the project's code.
        if (
            any(part.startswith(".") for part in parts)
            or "tests" in parts
            or path == ROOT / "reuse" / "pdf.py"
        ):
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bParagraph\s*\(|import[^\n]*\bParagraph\b|\bxml\.sax\.saxutils\b", source):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
