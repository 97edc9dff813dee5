"""A household on a slow phone knows what a document link will cost before tapping it: a link to a document in a
page's text says its format and weight (« PDF, 191,2 Kio »), in the reader's language, shown after the link's words
and read with them (the accessible name includes CSS generated content)."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from reportlab.pdfgen import canvas
from wagtail.documents.models import Document

from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parents[2] / "reuse" / "static" / "css" / "rebond.css"


def _pdf() -> bytes:
    """A PDF as reportlab writes it (docs.reportlab.com, "Getting started: canvas"), made heavy with pages."""
    data = io.BytesIO()
    sheet = canvas.Canvas(data)
    for number in range(400):
        sheet.drawString(72, 720, f"Règlement du programme, page {number} " + "x" * 300)
        sheet.showPage()
    sheet.save()
    return data.getvalue()


def test_a_document_link_says_its_format_and_weight_in_the_readers_language(client):
    content = _pdf()
    document = Document.objects.create(title="Règlement", file=ContentFile(content, name="reglement.pdf"))
    home = HomePage.objects.get(locale__language_code="fr")
    page = home.add_child(instance=StandardPage(title="Règles", slug="regles"))
    page.body = [
        {
            "type": "paragraph",
            "value": f'<p>Lisez <a linktype="document" id="{document.pk}">le règlement</a>.</p>',
        }
    ]
    page.save_revision().publish()

    french = client.get("/regles/").content.decode()
    assert len(content) > 100 * 1024
    said = french.split('data-document="', 1)[1].split('"', 1)[0]
    assert said.startswith("PDF, ") and said.endswith("\u00a0Kio")
    english = client.get("/regles/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english.split('data-document="', 1)[1].split('"', 1)[0].endswith("\u00a0KB")
    assert "a[data-document]::after" in CSS.read_text()
