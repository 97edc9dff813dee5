"""What tests read back from Rebond's answers: the words of a PDF, the messages a page tells after its redirect."""

import io

from django.contrib.messages import get_messages
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The words of every page, each run of spaces (line breaks, no-break spaces) read as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def told(response) -> list[str]:
    """The messages (django.contrib.messages) the request of `response` left for the next page, in order."""
    return [str(message) for message in get_messages(response.wsgi_request)]
