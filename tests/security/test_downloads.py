"""Every file the site hands out goes out under one rule, whichever view draws it: a name the browser saves as is
(RFC 6266: `filename` in ASCII, `filename*` for the name as written), read as no other type than its own
(`X-Content-Type-Options: nosniff`), run as nothing (`Content-Security-Policy: … sandbox`: a PDF or an image
opened in the browser runs no script, whether a person sent it or Rebond drew it), and, when it is someone's,
kept by no cache (`private, no-store`: on a shared computer the next person's Back button shows nothing).

The access matrices walk every route of the URLconf as every kind of person (a new route without an entry fails
there) and hand each file they are answered with to `download_problem`; the files those matrices do not reach
(a receipt once the device is handed over, labels for a device, the open data) are asked for here.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model

from reuse.views import content_disposition, download_name
from tests import fixtures
from tests.aftercare.helpers import handed_over
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

workshop = fixtures.workshop
technician = fixtures.technician


# What a response carries when it is a file rather than a page or an API answer.
FILE_TYPES = (
    "application/pdf",
    "image/",
    "text/csv",
    "application/vnd.",
    "application/octet-stream",
    "application/zip",
    "text/plain",
)


def is_file(response) -> bool:
    kind = response.get("Content-Type", "")
    return response.has_header("Content-Disposition") or kind.startswith(FILE_TYPES)


def download_problem(response, *, private: bool = True) -> str | None:
    """What is wrong with a file answer (None when it is not a file, or is right)."""
    if response.status_code != 200 or not is_file(response):
        return None
    disposition = response.get("Content-Disposition", "")
    if not disposition.startswith(("attachment; filename=", "inline; filename=")):
        return f"a file with Content-Disposition {disposition!r}"
    if response.get("X-Content-Type-Options") != "nosniff":
        return "a file the browser may read as another type (no nosniff)"
    policy = response.get("Content-Security-Policy", "")
    if "sandbox" not in policy or "default-src 'none'" not in policy:
        return f"a file that may run as a page (Content-Security-Policy {policy!r})"
    kept = response.get("Cache-Control", "")
    if private and not ("private" in kept and "no-store" in kept):
        return f"a private file with Cache-Control {kept!r}"
    return None


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ('rapport "final".log', "rapport _final_.log"),
        ("certificat\r\nSet-Cookie: a=b.pdf", "certificat_Set-Cookie_ a=b.pdf"),
        ("reçu-fiscal-ÉTÉ.pdf", "reçu-fiscal-ÉTÉ.pdf"),
        ("photo\u202egpj.exe", "photogpj.exe"),  # a right-to-left override would show « exe.jpg »
        (".htaccess", "htaccess"),
        ("", "fichier"),
    ],
)
def test_a_download_name_names_one_file_in_the_folder_it_is_saved_to(given, saved):
    assert download_name(given) == saved


def test_a_name_with_accents_is_given_as_written_and_in_ascii_for_older_browsers():
    header = content_disposition("reçu-fiscal-été.pdf")
    # RFC 6266 section 4.3 and appendix D: `filename` first for those that know only it, `filename*` after it.
    assert (
        header
        == "attachment; filename=\"recu-fiscal-ete.pdf\"; filename*=UTF-8''re%C3%A7u-fiscal-%C3%A9t%C3%A9.pdf"
    )
    assert content_disposition("etiquettes.pdf", inline=True) == 'inline; filename="etiquettes.pdf"'


def test_the_handover_receipt_is_a_private_file(client, programme):
    claim, technician = handed_over(household=eligible(), price_cents=0)
    for person in (claim.beneficiary, technician):
        client.force_login(person)
        response = client.get(reverse("claims:receipt", args=[claim.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert download_problem(response) is None


def test_the_labels_sheet_is_a_private_file(client, workshop, technician):
    device = DeviceFactory(workshop=workshop)
    client.force_login(technician)
    response = client.get(reverse("inventory:labels"), {"tag": device.asset_tag, "sheet": "a4-3x7"})
    assert response["Content-Type"] == "application/pdf"
    assert download_problem(response) is None


def test_the_open_data_file_is_public_but_read_as_nothing_else(client):
    response = client.get("/api/v1/open-data/lieux.csv")
    assert response.status_code == 200
    assert download_problem(response, private=False) is None


def test_a_portal_document_is_read_as_nothing_else_by_wagtail_s_own_view(client):
    """Wagtail's document view writes its own `default-src 'none'`, without sandbox: the rule covers views Rebond
    did not write too (reuse.middleware.FileAnswersMiddleware)."""
    document = get_document_model().objects.create(
        title="Horaires", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="horaires.pdf")
    )
    assert download_problem(client.get(document.url), private=False) is None
