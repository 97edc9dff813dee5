"""Every upload path checks its size the same way: `reuse/uploads.py` declares each limit once; the services refuse
an upload from the size it declares before reading a byte of it, and read no more than the limit; every file field
of a form tells the browser the same limit (reuse/static/js/upload-limit.js says it before sending;
tests/browser/test_upload_limit.py)."""

import ast
import io
import tracemalloc
from pathlib import Path

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import RequestFactory

from donations.forms import ManifestForm
from donations.imports import start_import
from inventory.forms import ImportForm, PhotoForm, ReportImportForm
from inventory.models import Device
from inventory.photos import add_photo
from inventory.reports.uploads import read_upload
from inventory.views.imports import stock_import
from reuse import uploads
from reuse.aftercare.forms import ProblemForm
from reuse.aftercare.services.tickets import store_photo
from reuse.eligibility.documents import check_upload
from reuse.eligibility.forms import DocumentForm
from reuse.errors import TooLarge
from reuse.tripod.wagtail_hooks import PlacesFileForm
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory
from tests.fixtures import technician, workshop  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[1]
APPS = ("reuse", "donations", "inventory", "cms")


def declared(size: int, content: bytes = b"id;serial\n") -> UploadedFile:
    """An upload that says it holds `size` bytes: whatever it holds, a path that trusts it reads nothing."""
    return UploadedFile(
        file=io.BytesIO(content), name="envoi.bin", content_type="application/octet-stream", size=size
    )


@pytest.mark.parametrize(
    "form_class, field, limit",
    [
        (ManifestForm, "file", uploads.MANIFEST),
        (ImportForm, "file", uploads.STOCK_FILE),
        (ReportImportForm, "file", uploads.BENCH_REPORTS),
        (PhotoForm, "photo", uploads.PHOTO),
        (ProblemForm, "photo", uploads.TICKET_PHOTO),
        (DocumentForm, "file", uploads.PROOF),
        (PlacesFileForm, "file", uploads.MEDIATION_PLACES),
    ],
)
def test_every_file_field_tells_the_browser_its_limit(form_class, field, limit):
    html = str(form_class()[field])
    assert f'data-max-bytes="{limit.max_bytes}"' in html
    assert f'data-too-large="{limit.message}"' in html
    # The field brings the script that reads them: pages without such a field load no script for it.
    assert html.count('src="/static/js/upload-limit.js"') == 1


def test_the_api_takes_every_file_its_operations_take(settings):
    # The API refuses a body over API_UPLOAD_MAX_BYTES from its Content-Length (reuse/api_input.py).
    for limit in (uploads.MANIFEST, uploads.STOCK_FILE, uploads.BENCH_REPORTS):
        assert limit.max_bytes < settings.API_UPLOAD_MAX_BYTES


def test_no_form_of_the_project_takes_a_file_without_a_declared_limit():
    unlimited = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "reuse" / "uploads.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("FileField", "ImageField")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "forms"
                ):
                    unlimited.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not unlimited, f"use reuse.uploads.LimitedFileField: {unlimited}"


@pytest.mark.django_db
def test_each_path_refuses_an_upload_from_its_declared_size_without_reading_it(technician):  # noqa: F811
    device = DeviceFactory(workshop=technician.memberships.first().organisation)
    paths = [
        (uploads.MANIFEST, lambda upload: start_import(lot=LotFactory(), uploaded=upload, user=technician)),
        (uploads.STOCK_FILE, uploads.STOCK_FILE.read),
        (uploads.BENCH_REPORTS, read_upload),
        (uploads.PHOTO, lambda upload: add_photo(device=device, actor=technician, upload=upload)),
        (uploads.TICKET_PHOTO, store_photo),
        (uploads.PROOF, check_upload),
    ]
    for limit, path in paths:
        upload = declared(limit.max_bytes + 1)
        with pytest.raises(TooLarge) as refused:
            path(upload)
        assert refused.value.message == str(limit.message)
        assert upload.file.tell() == 0, limit  # not a byte read


def test_an_upload_that_says_less_than_it_holds_is_read_no_further_than_the_limit():
    limit = uploads.UploadLimit(1000, "trop gros")
    lying = declared(10, b"x" * 5000)
    with pytest.raises(TooLarge):
        limit.read(lying)
    assert lying.file.tell() == 1001


@pytest.mark.django_db
def test_the_stock_import_page_refuses_a_file_over_5_mb_without_holding_it_in_memory(
    workshop,  # noqa: F811
    technician,  # noqa: F811
):
    # A workshop's technician (or anyone who took their session) sends a file just over the limit: it is written
    # to a temporary file by Django as it arrives, and refused from its size, never read into memory.
    big = "Numéro de série\n".encode() + b"X" * uploads.STOCK_FILE.max_bytes

    def signed_in(request):
        request.user = technician
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    # The page once, so that what the first page of a process loads (templates, translations) is not counted.
    assert stock_import(signed_in(RequestFactory().get("/atelier/stock/import/"))).status_code == 200
    request = RequestFactory().post("/atelier/stock/import/", {"file": SimpleUploadedFile("stock.csv", big)})
    signed_in(request)
    del big
    tracemalloc.start()
    try:
        response = stock_import(request)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert str(uploads.STOCK_FILE.message) in response.content.decode()
    assert not Device.objects.exists()
    assert peak < uploads.STOCK_FILE.max_bytes, peak
