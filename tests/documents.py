"""What tests read back from the documents Rebond sends: the words of a PDF."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The words of every page, each run of spaces (line breaks, no-break spaces) read as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
