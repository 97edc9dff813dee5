"""Thin Celery tasks of the workshop side."""

from celery import shared_task

from inventory import counts
from inventory.services import prices


@shared_task
def compact_stock_counts() -> int:
    """Fold the stock counters' appended changes (PostgreSQL), so that reading a count stays a few rows."""
    return counts.compact()


@shared_task
def withdraw_out_of_bounds_prices() -> int:
    """Listed devices whose price the programme no longer allows leave the catalogue (inventory/services/prices.py)."""
    return prices.withdraw_out_of_bounds()
