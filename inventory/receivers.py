"""What the workshop side does when a lower layer changes: a programme's prices or territory move under listed
devices (inventory/services/prices.py)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from inventory.tasks import withdraw_out_of_bounds_prices
from reuse.programmes.models import Programme, ProgrammePrice


def _sweep_prices(**kwargs) -> None:
    transaction.on_commit(withdraw_out_of_bounds_prices.delay)


def connect_programme_changes() -> None:
    for signal in (post_save, post_delete):
        for model in (Programme, ProgrammePrice):
            signal.connect(
                _sweep_prices,
                sender=model,
                weak=False,
                dispatch_uid=f"inventory.prices.{model.__name__}.{signal is post_save}",
            )
