"""A PDF that runs something or carries another file is refused wherever people send PDFs for others to open.

A household's proof is opened by staff (in the browser, or saved and opened in Acrobat, which runs a PDF's
JavaScript and offers to open its attachments); a workshop's nwipe certificate is kept as evidence and downloaded
by the donor of the lot. Either could be a JavaScript action run at opening, a « Launch » action, or an executable
riding along as an embedded file: the sender chooses what the reader's PDF software does. A PDF that only shows
pages (what a CAF attestation, a scanner or « Imprimer > Enregistrer au format PDF » writes) is kept as it was.

The PDFs are written by pypdf's PdfWriter as its documentation shows (pypdf.readthedocs.io, « Adding JavaScript
to a PDF »: `add_open_action(JavaScript(...))`; « Attachments »: `add_attachment`), by reportlab's canvas as an office tool writes a plain
PDF, and by hand from ISO 32000-1 (§7.5.7 object streams, §7.3.5 « #xx » in names, §12.6.4.16 JavaScript
actions, §12.6.4.5 Launch actions) for the same action hidden in a compressed object stream.
"""

import io
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from reportlab.pdfgen import canvas

from inventory.models import ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from reuse.eligibility.models import EligibilityDocument
from reuse.eligibility.services import documents
from reuse.errors import InvalidInput
from tests.factories.accounts import household, member_of
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory, WorkshopProfileFactory
from tests.factories.programmes import ProgrammeFactory
from tests.inventory.bench_samples import declared_before_samples, imported, sample

pytestmark = pytest.mark.django_db
RUN = "app.launchURL('https://evil.example/', true);"


def plain_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Attestation de paiement RSA")
    page.save()
    return out.getvalue()


def rewritten(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_javascript(data: bytes) -> bytes:
    return rewritten(data, lambda writer: writer.add_open_action(JavaScript(RUN)))


def with_attachment(data: bytes) -> bytes:
    return rewritten(data, lambda writer: writer.add_attachment("facture.exe", b"MZ\x90\x00 a program"))


def hidden_in_an_object_stream() -> bytes:
    """A catalog whose OpenAction is a Launch action and a JavaScript action, both in a Flate-compressed object
    stream, their names spelt with « #xx » escapes: nothing of them is readable in the file's bytes."""
    first = b"<</S/L#61unch/F(cmd.exe)/Next 4 0 R>> "
    second = b"<</S/J#61vaScript/J#53(app.alert(1))>>"
    header = b"3 0 4 %d " % len(first)
    stream = zlib.compress(header + first + second)
    body = [
        b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n",
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n",
        b"5 0 obj<</Type/ObjStm/N 2/First %d/Filter/FlateDecode/Length %d>>stream\n"
        % (len(header), len(stream))
        + stream
        + b"\nendstream endobj\n",
    ]
    return b"%PDF-1.5\n" + b"".join(body) + b"trailer<</Root 1 0 R/Size 6>>\n%%EOF\n"


ACTIVE = {
    "javascript": lambda: with_javascript(plain_pdf()),
    "attachment": lambda: with_attachment(plain_pdf()),
    "object_stream": hidden_in_an_object_stream,
}


@pytest.fixture
def programme(db):
    return ProgrammeFactory(every_check=True)


def send_proof(person, content):
    return documents.upload_document(
        household=person,
        uploaded_by=person,
        criteria=["rsa"],
        upload=SimpleUploadedFile("attestation-caf.pdf", content, content_type="application/pdf"),
    )


@pytest.mark.parametrize("kind", sorted(ACTIVE))
def test_a_proof_that_runs_something_or_carries_a_file_is_refused_in_french(programme, kind):
    person = household()
    with pytest.raises(InvalidInput) as refused:
        send_proof(person, ACTIVE[kind]())
    assert "PDF" in str(refused.value.message) and "Enregistrer au format PDF" in str(refused.value.message)
    assert not EligibilityDocument.objects.exists()


def test_a_plain_pdf_proof_is_kept_as_it_was_sent(programme):
    person = household()
    content = plain_pdf()
    document = send_proof(person, content).documents.get()
    with document.file.open("rb") as handle:
        assert handle.read() == content


@pytest.fixture
def bench():
    workshop = WorkshopProfileFactory(recycles=True, organisation__department="93").organisation
    lot = declared_before_samples(LotFactory(workshop=workshop, received=True))
    device = DeviceFactory(workshop=workshop, lot=lot, type="laptop", media_count=1, cpu="", ram_gb=None)
    StorageMediumRecord.objects.create(device=device, serial="S3Z1NB0K512345A")
    return workshop, member_of(workshop), device


@pytest.mark.parametrize("before", [b"", b"\r\n" * 8], ids=["as_written", "after_other_bytes"])
def test_an_nwipe_certificate_with_javascript_is_not_kept_for_the_donor(bench, before):
    """`before`: Acrobat finds a PDF's header anywhere in its first 1,024 bytes (PDF 32000-1, Annex H.3 note)."""
    workshop, technician, device = bench
    [outcome] = reports.import_upload(
        workshop=workshop,
        actor=technician,
        filename="nwipe.pdf",
        data=before + with_javascript(sample("nwipe_certificate_t480.pdf")),
        device=device,
        level="clear",
    )
    assert not outcome.ok
    assert "Enregistrer au format PDF" in str(outcome.message)
    assert not ErasureReport.objects.exists()


def test_the_nwipe_certificate_as_nwipe_writes_it_is_still_read(bench):
    workshop, technician, device = bench
    [outcome] = imported(workshop, technician, "nwipe_certificate_t480.pdf", device=device, level="clear")
    assert outcome.ok, outcome.message
    assert ErasureReport.objects.count() == 1


def test_a_damaged_pdf_is_refused_as_unreadable_never_a_server_error(programme):
    """tests/data/bad/damaged_dictionary.pdf: a PDF reportlab wrote, a few bytes changed (found by mutating the
    PDFs above), so that pypdf reads a name where a dictionary must be and raised AttributeError: a 500 for the
    household instead of the message saying to send a copy."""
    damaged = (Path(__file__).resolve().parents[1] / "data" / "bad" / "damaged_dictionary.pdf").read_bytes()
    with pytest.raises(InvalidInput) as refused:
        send_proof(household(), damaged)
    assert "abîmé ou illisible" in str(refused.value.message)
    assert not EligibilityDocument.objects.exists()
