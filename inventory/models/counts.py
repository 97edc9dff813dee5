"""The stock's counters per workshop, state, type and grade, kept by database triggers (inventory.counts)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.enums import DeviceState, DeviceType
from reuse.accounts.models import Organisation


class StockCount(models.Model):
    """How many devices a workshop holds per state, type and grade: the stock list's counts without a scan.

    Kept by database triggers on inventory_device (inventory/counts.py), in the same transaction as the write,
    whatever writes it: a lifecycle move, a check-in, an import, a bulk load (COPY included), a deletion,
    an edit in the admin. On PostgreSQL the triggers append to StockCountChange (no hot row to lock, so two
    moves never wait on each other), folded in here by `inventory.counts.compact()`; a count is this table
    plus the changes not yet folded. A test compares the counts with a fresh COUNT after random sequences.
    """

    workshop = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=DeviceState.choices)
    type = models.CharField(max_length=20, choices=DeviceType.choices)
    grade = models.CharField(max_length=1, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de stock")
        verbose_name_plural = _("compteurs de stock")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "state", "type", "grade"], name="stock_count_key"),
        ]

    def __str__(self):
        return f"{self.workshop_id} {self.state} {self.type} {self.grade}: {self.n}"


class StockCountChange(models.Model):
    """A change of StockCount not yet folded in (PostgreSQL): appended by the triggers, never updated."""

    id = models.BigAutoField(primary_key=True)
    workshop = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    state = models.CharField(max_length=20, choices=DeviceState.choices)
    type = models.CharField(max_length=20, choices=DeviceType.choices)
    grade = models.CharField(max_length=1, blank=True)
    n = models.BigIntegerField()

    class Meta:
        verbose_name = _("variation de stock")
        verbose_name_plural = _("variations de stock")

    def __str__(self):
        return f"{self.workshop_id} {self.state} {self.type} {self.grade}: {self.n:+d}"
