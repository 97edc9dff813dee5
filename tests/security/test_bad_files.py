"""The corpus of bad files in tests/data/bad/: each upload path refuses each file with a clear French message
and writes nothing (no row, no file)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.models import Device, DevicePhoto
from inventory.photos import add_photo
from inventory.stock_import import import_stock_csv
from reuse.eligibility.models import EligibilityDocument
from reuse.eligibility.services import documents
from reuse.errors import DomainError
from tests.factories.accounts import OrganisationFactory, household, member_of
from tests.factories.inventory import DeviceFactory, WorkshopProfileFactory
from tests.factories.programmes import ProgrammeFactory

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
pytestmark = pytest.mark.django_db


def bad(name: str) -> bytes:
    return (BAD / name).read_bytes()


def files_under(folder) -> list[Path]:
    root = Path(folder)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def assert_french(exc: DomainError):
    message = str(exc.message)
    words = ("fichier", "image", "photo", "ligne", "format", " mo", "pdf")
    assert message and any(word in message.lower() for word in words), message


@pytest.fixture
def workshop(db):
    organisation = OrganisationFactory(workshop=True)
    WorkshopProfileFactory(recycles=True, organisation=organisation)
    return organisation


@pytest.mark.parametrize(
    "name",
    ["image_bomb.png", "not_an_image.jpg", "polyglot_jpeg_html.jpg", "html_named_pdf.pdf", "zip_bomb.xlsx"],
)
def test_device_photo_refuses_bad_images(workshop, name):
    device = DeviceFactory(workshop=workshop)
    with pytest.raises(DomainError) as excinfo:
        add_photo(device=device, actor=member_of(workshop), upload=SimpleUploadedFile(name, bad(name)))
    assert_french(excinfo.value)
    assert not DevicePhoto.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_device_photo_refuses_an_oversized_file(workshop):
    device = DeviceFactory(workshop=workshop)
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024 + 1))
    with pytest.raises(DomainError) as excinfo:
        add_photo(device=device, actor=member_of(workshop), upload=huge)
    assert excinfo.value.status == 413
    assert not DevicePhoto.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "empty.csv",
        "header_only.csv",
        "binary_garbage.csv",
        "unknown_columns.csv",
        "truncated.xlsx",
        "zip_bomb.xlsx",
    ],
)
def test_stock_import_refuses_bad_files_and_writes_nothing(workshop, name):
    with pytest.raises(DomainError) as excinfo:
        import_stock_csv(workshop=workshop, actor=member_of(workshop), data=bad(name))
    assert str(excinfo.value.message)
    assert not Device.objects.exists()


def test_stock_import_reads_utf16_as_excel_saves_unicode_text(workshop):
    # utf16.csv was refused while the stock import had its own reader; the shared spreadsheet reader reads
    # UTF-16 with its BOM (Excel's « Texte Unicode »), as the donors' manifests do.
    assert import_stock_csv(workshop=workshop, actor=member_of(workshop), data=bad("utf16.csv")) == {
        "created": 1,
        "updated": 0,
        "lost_letters": [],
    }
    assert Device.objects.get().serial == "SN1"


@pytest.mark.parametrize(
    "name",
    [
        "image_bomb.png",
        "not_an_image.jpg",
        "polyglot_jpeg_html.jpg",
        "html_named_pdf.pdf",
        "zip_bomb.xlsx",
        "empty.csv",
    ],
)
def test_eligibility_document_refuses_bad_files(name):
    ProgrammeFactory(every_check=True)
    person = household()
    with pytest.raises(DomainError) as excinfo:
        documents.upload_document(
            household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile(name, bad(name))
        )
    assert str(excinfo.value.message)
    assert not EligibilityDocument.objects.exists()
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []
