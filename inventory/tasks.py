"""Thin Celery tasks of the workshop side."""

from celery import shared_task

from inventory import counts


@shared_task
def compact_stock_counts() -> int:
    """Fold the stock counters' appended changes (PostgreSQL), so that reading a count stays a few rows."""
    return counts.compact()
