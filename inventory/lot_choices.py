"""The lots offered by the stock list's filter, read once and cached until a lot changes.

The list shows them in a select on every page: without the cache that select alone would be one more
query per page. Any save or deletion of a lot (a new lot assigned, a status that changes its label) bumps
a version that is part of the key, so a workshop never sees a stale list; entries also expire after an hour.
"""

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "inventory:lots:version"
TTL = 3600


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, "1", None)
        current = cache.get(VERSION_KEY, "1")
    return current


def bump(**kwargs) -> None:
    import time

    transaction.on_commit(lambda: cache.set(VERSION_KEY, str(time.time_ns()), None))


def lot_choices(workshop_ids) -> list[tuple[int, str]]:
    """[(lot id, label)] of the lots assigned to these workshops (None: every workshop, for staff)."""
    from django.utils.translation import get_language

    from donations.models import Lot

    scope = "all" if workshop_ids is None else ",".join(str(pk) for pk in sorted(workshop_ids))
    key = f"inventory:lots:{version()}:{get_language()}:{scope}"
    choices = cache.get(key)
    if choices is None:
        lots = Lot.objects.filter(workshop__isnull=False)
        if workshop_ids is not None:
            lots = Lot.objects.filter(workshop_id__in=list(workshop_ids))
        choices = [(lot.pk, str(lot)) for lot in lots.order_by("-created")]
        cache.set(key, choices, TTL)
    return choices


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from donations.models import Lot

    post_save.connect(bump, sender=Lot, dispatch_uid="inventory.lot_choices.saved")
    post_delete.connect(bump, sender=Lot, dispatch_uid="inventory.lot_choices.deleted")
