"""Thin Celery tasks of the workshop side."""

from celery import shared_task

from inventory import counts
from inventory.donor_reports import stored
from inventory.services import prices


@shared_task
def compact_stock_counts() -> int:
    """Fold the stock counters' appended changes (PostgreSQL), so that reading a count stays a few rows."""
    return counts.compact()


@shared_task
def withdraw_out_of_bounds_prices() -> int:
    """Listed devices whose price the programme no longer allows leave the catalogue (inventory/services/prices.py)."""
    return prices.withdraw_out_of_bounds()


@shared_task
def render_certificate_pdf(certificate_id: int, language: str) -> str | None:
    """Draw an erasure certificate's PDF once and store it (its SHA-256 returned)."""
    pdf = stored.render(certificate_id, language)
    return pdf.sha256 if pdf else None


@shared_task
def prepare_certificate(lot_id: int) -> str | None:
    """Issue the certificate of a lot whose erasures are settled and store its PDF in every language."""
    certificate = stored.prepare(lot_id)
    return certificate.code if certificate else None


@shared_task
def purge_superseded_certificate_pdfs() -> int:
    """Delete the files of erasure certificates replaced long enough ago (inventory/donor_reports/stored.py)."""
    return stored.purge_superseded()
