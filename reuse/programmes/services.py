"""Which programme covers a territory: the one lookup every app uses (inventory prices, claim caps, the CMS)."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from reuse.programmes.models import Programme, ProgrammePrice

# The price bounds of a (department, type, grade) on a day, kept in the cache under the programmes' version,
# which any save or deletion of a programme or of one of its prices drops (receivers below, connected by
# ProgrammesConfig.ready), at once and again after the commit. Read on every device page and price check.
PRICES_VERSION_KEY = "programmes:prices:version"
PRICES_TTL = 3600
NO_PROGRAMME = "none"


def active_programmes(on=None):
    return Programme.objects.active(on or timezone.localdate()).prefetch_related("prices").order_by("pk")


def programme_for_department(department: str, on=None) -> Programme | None:
    """The active programme covering a department (active programmes never overlap: `Programme.clean`)."""
    return Programme.objects.for_department(department, on).order_by("pk").first()


def covered_departments(on=None) -> list[str]:
    """Departments covered by an active programme, sorted ("2A", "2B" and overseas included)."""
    codes = {str(code) for programme in active_programmes(on) for code in programme.departments}
    return sorted(codes, key=lambda code: (len(code), code))


def price_bounds_of(department: str, device_type: str, grade: str, on=None) -> tuple[int, int] | None:
    """(min_cents, max_cents) of the active programme covering the department, (0, 0) when it sets no price
    for this type and grade, None when no programme covers it. One read of the cache when warm."""
    day = on or timezone.localdate()
    key = f"programmes:prices:{department}:{device_type}:{grade}:{day.isoformat()}"
    found = cache.get_many([PRICES_VERSION_KEY, key])
    version, entry = found.get(PRICES_VERSION_KEY), found.get(key)
    if version is not None and entry is not None and entry[0] == version:
        return None if entry[1] == NO_PROGRAMME else entry[1]
    if version is None:
        # Read before the programmes: a change committed in between leaves a stale version behind.
        cache.add(PRICES_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(PRICES_VERSION_KEY)
    programme = programme_for_department(department, day)
    if programme is None:
        bounds = None
    else:
        row = (
            ProgrammePrice.objects.filter(programme=programme, device_type=device_type, grade=grade)
            .values_list("min_cents", "max_cents")
            .first()
        )
        bounds = tuple(row) if row else (0, 0)
    cache.set(key, (version, NO_PROGRAMME if bounds is None else bounds), PRICES_TTL)
    return bounds


def forget_on_change(key: str, models, name: str) -> None:
    """Drop the cache entry `key` whenever a row of `models` is saved or deleted, at once and again after the
    commit (a reader between the two would cache the old rows under a fresh key). Programme prices use it, and the
    claims' catalogue for the territory each claimant may claim in."""

    def forget(**kwargs) -> None:
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))

    for signal in (post_save, post_delete):
        for model in models:
            signal.connect(
                forget,
                sender=model,
                weak=False,
                dispatch_uid=f"{name}.{model.__name__}.{signal is post_save}",
            )


def connect() -> None:
    forget_on_change(PRICES_VERSION_KEY, (Programme, ProgrammePrice), "programmes.prices")
