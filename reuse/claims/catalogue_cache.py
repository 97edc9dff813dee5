"""The catalogue list served from a cache, exact at once after any change of what it shows.

Each page (a filter, a cursor, a language, signed in or not) is rendered once and kept with the catalogue's
version (and the site chrome's) it was rendered at; one read of the cache fetches the versions and the page. The version changes, after the commit, whenever a device is listed, reserved,
returned, repriced, edited while online, deleted, or a workshop's name or place changes (receivers below,
and `stock_moved` for the bench's batch moves, which bypass save()). A reader never sees a page older than
the last change: the next request misses and renders. With CACHE_URL (Redis, production) every web process
shares the version and the pages; the per-process memory cache serves one process (dev, tests).

The page's CSRF fields are rendered with a placeholder and filled per request, so a cached page never
carries another visitor's token. The API's catalogue answers 304 to a client that sends back the ETag or
Last-Modified of the version it already has.
"""

import hashlib
import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from inventory.models import Device
from inventory.signals import stock_moved
from reuse.accounts.models import Organisation
from reuse.accounts.signals import organisation_standing_changed
from reuse.eligibility.models import EligibilityDecision
from reuse.programmes.models import Programme
from reuse.programmes.services import forget_on_change

VERSION_KEY = "claims:catalogue:version"
# Pages of a version nobody asks for any more expire; a missed invalidation is bounded by this too.
PAGE_TTL = 600
CSRF_PLACEHOLDER = "rebond-csrf-placeholder-0b9f1d"


def version() -> str:
    """The current version: nanoseconds since the epoch of the last change (unique across cache restarts)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, str(time.time_ns()), None)
        current = cache.get(VERSION_KEY)
    return current


def changed_at(current: str) -> datetime:
    return datetime.fromtimestamp(int(current) // 1_000_000_000, tz=UTC)


def bump_now() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), None)


def bump() -> None:
    """Invalidate every cached page and ETag once the current transaction commits."""
    transaction.on_commit(bump_now)


def page_key(request, *parts) -> str:
    """The key of a page; its value is ((catalogue version, chrome version), html), stale once either moves."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    extra = ":".join(str(part) for part in parts)
    return f"claims:catalogue:page:{translation.get_language()}:{extra}:{digest}"


# A claimant's territory (its programme's name and departments) decides which page it gets by default: kept per
# reader under a version any decision or programme saved drops, so that the warm catalogue costs no query.
TERRITORY_VERSION_KEY = "claims:catalogue:territory:version"
TERRITORY_TTL = 300
NO_TERRITORY = "none"


def territory(reader: str, compute):
    """`compute()` returns (territory or None, seconds it holds at most), read once per version and reader."""
    current = cache.get(TERRITORY_VERSION_KEY)
    if current is None:
        cache.add(TERRITORY_VERSION_KEY, str(time.time_ns()), None)
        current = cache.get(TERRITORY_VERSION_KEY)
    key = f"claims:catalogue:territory:{current}:{reader}"
    found = cache.get(key)
    if found is not None:
        return None if found == NO_TERRITORY else found
    value, seconds = compute()
    cache.set(key, NO_TERRITORY if value is None else value, max(1, min(TERRITORY_TTL, int(seconds))))
    return value


def has_messages(request) -> bool:
    """A page with a flash message is rendered for its reader, never cached."""
    if request.COOKIES.get("messages"):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


# Receivers ---------------------------------------------------------------------------------------------

SHOWN_STATES = ("listed", "reserved")


def device_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created:
        if instance.state in SHOWN_STATES:
            bump()
        return
    if instance.state in SHOWN_STATES or update_fields is None or "state" in update_fields:
        bump()


def device_deleted(sender, instance, **kwargs):
    if instance.state in SHOWN_STATES:
        bump()


def anything_changed(sender, **kwargs):
    bump()


def connect() -> None:
    post_save.connect(device_saved, sender=Device, dispatch_uid="claims.catalogue_cache.device_saved")
    post_delete.connect(device_deleted, sender=Device, dispatch_uid="claims.catalogue_cache.device_deleted")
    post_save.connect(anything_changed, sender=Organisation, dispatch_uid="claims.catalogue_cache.org")
    stock_moved.connect(anything_changed, dispatch_uid="claims.catalogue_cache.moved")
    organisation_standing_changed.connect(anything_changed, dispatch_uid="claims.catalogue_cache.standing")
    forget_on_change(
        TERRITORY_VERSION_KEY, (EligibilityDecision, Programme), "claims.catalogue_cache.territory"
    )
