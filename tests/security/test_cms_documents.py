"""A PDF staff put on the portal (Wagtail's documents: a guide, a form to print) follows the rule of every PDF
Rebond keeps as sent (`reuse.filekinds.check_passive_pdf`): Wagtail shows a PDF inline to every visitor, so one
carrying JavaScript or an attached program, uploaded by an editor whose computer or account is not what it should
be, would reach the public. The PDFs are those of tests/security/test_active_pdfs.py (pypdf's PdfWriter, reportlab).
The upload goes through Wagtail's own « Add a document » page, as an editor sends it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from tests.factories.accounts import UserFactory
from tests.security.test_active_pdfs import plain_pdf, with_attachment, with_javascript

pytestmark = pytest.mark.django_db


def add_document(client, name: str, content: bytes):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Guide de prise en main",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


@pytest.mark.parametrize("active", [with_javascript, with_attachment])
def test_an_editor_cannot_publish_a_pdf_that_runs_something(client, active):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = add_document(client, "guide.pdf", active(plain_pdf()))
    assert response.status_code == 200
    assert "Enregistrer au format PDF" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_plain_pdf_is_published_as_it_was_sent(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    content = plain_pdf()
    assert add_document(client, "guide.pdf", content).status_code == 302
    with get_document_model().objects.get().file.open("rb") as handle:
        assert handle.read() == content
