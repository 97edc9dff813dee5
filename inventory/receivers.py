"""What the workshop side does when a lower layer changes: a programme's prices or territory move under listed
devices (inventory/services/prices.py)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from inventory import counts
from inventory.tasks import withdraw_out_of_bounds_prices
from reuse.programmes.models import Programme, ProgrammePrice


def _sweep_prices(using, **kwargs) -> None:
    """One sweep after the transaction that changed a programme or its prices, however many rows it saved: staff
    saving a programme with its N price rows in the admin (one transaction) swept the whole catalogue N+1 times.

    The sweep pending in the current transaction is kept on the connection; it is pending while its callback is
    still among the connection's on_commit callbacks: a rolled-back transaction or savepoint drops it from there,
    and the next change queues a sweep of its own."""
    connection = transaction.get_connection(using)
    pending = getattr(connection, "pending_price_sweep", None)
    if pending is not None and any(callback is pending for _ids, callback, *_ in connection.run_on_commit):
        return

    def sweep():
        if getattr(connection, "pending_price_sweep", None) is sweep:
            connection.pending_price_sweep = None
        withdraw_out_of_bounds_prices.delay()

    connection.pending_price_sweep = sweep
    transaction.on_commit(sweep, using=using)


def connect_programme_changes() -> None:
    for signal in (post_save, post_delete):
        for model in (Programme, ProgrammePrice):
            signal.connect(
                _sweep_prices,
                sender=model,
                weak=False,
                dispatch_uid=f"inventory.prices.{model.__name__}.{signal is post_save}",
            )


def connect_schema_changes(app_config) -> None:
    """After every migrate, the stock count triggers a SQLite table copy dropped are installed again."""
    post_migrate.connect(counts.reinstall_if_dropped, sender=app_config)
