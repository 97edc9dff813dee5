"""What tests read back from Rebond's answers: the words of a PDF, the messages a page tells after its redirect."""

import io

from django.contrib.messages import get_messages
from pypdf import PdfReader

# A one-page PDF as pypdf's PdfWriter writes it (add_blank_page): a proof is read before it is kept.
PDF = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n"
    b"/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n"
    b"<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 100 100 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n"
    b"0000000000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 00000 n \n"
    b"trailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n256\n%%EOF\n"
)


def pdf_text(content: bytes) -> str:
    """The words of every page, each run of spaces (line breaks, no-break spaces) read as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def told(response) -> list[str]:
    """The messages (django.contrib.messages) the request of `response` left for the next page, in order."""
    return [str(message) for message in get_messages(response.wsgi_request)]
