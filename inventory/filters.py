import base64
import re
import time
from datetime import UTC, datetime, timedelta

import django_filters
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from donations.models import Lot
from inventory.enums import DeviceState, DeviceType, Grade
from inventory.models import Device
from inventory.scans import serial_lookup, tag_in_address

# A Rebond label: six characters of the tag alphabet (inventory.services.devices.TAG_ALPHABET).
TAG_PATTERN = re.compile(r"[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}")
AGE_CHOICES = [
    ("7", _("Moins d’une semaine")),
    ("30", _("Moins d’un mois")),
    ("90", _("Moins de 3 mois")),
    ("90+", _("Plus de 3 mois")),
]


class StockFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Étiquette, série ou modèle"), method="search")
    state = django_filters.ChoiceFilter(label=_("État"), choices=DeviceState.choices, empty_label=_("Tous"))
    type = django_filters.ChoiceFilter(label=_("Type"), choices=DeviceType.choices, empty_label=_("Tous"))
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices, empty_label=_("Tous"))
    # The lots of the reader's workshops, as (id, label) read once and cached (inventory.lot_choices):
    # choosing a lot costs no query, and another workshop's lot is not a choice.
    lot = django_filters.ChoiceFilter(label=_("Lot"), choices=[], empty_label=_("Tous"), field_name="lot_id")
    age = django_filters.ChoiceFilter(
        label=_("Ancienneté en stock"), choices=AGE_CHOICES, method="filter_age", empty_label=_("Toutes")
    )

    class Meta:
        model = Device
        fields = ["q", "state", "type", "grade", "lot", "age"]

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["lot"].extra["choices"] = [(str(pk), label) for pk, label in lots]

    def search(self, queryset, name, value):
        """A Rebond tag or a serial (what a technician scans) is found by index; other words also search the
        model, on PostgreSQL through a trigram index (migration inventory 0007), whatever the stock's size."""
        value = tag_in_address(value) or value.strip()  # a device's QR label scanned into the search box
        if not value:
            return queryset
        code = "".join(value.split()).upper()
        found = Q(asset_tag=code) | Q(serial=value) | Q(serial=value.upper())
        if TAG_PATTERN.fullmatch(code):
            return queryset.filter(found)
        # A maker's label (« 1S » + type-model + serial, GS1, an Apple box) finds the serial it carries.
        return queryset.filter(found | serial_lookup(value) | Q(model__icontains=value))

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        if value == "90+":
            return queryset.filter(received_at__lt=now - timedelta(days=90))
        return queryset.filter(received_at__gte=now - timedelta(days=int(value)))


# Keyset pagination of the stock list ------------------------------------------------------------------------
# Newest first by (received_at, id), the order of the stock indexes: page 20,000 reads 51 index entries, as
# page 1 does, where OFFSET would walk past every row before it. A cursor is the key of the row it starts
# after (`apres`) or before (`avant`); `fin` opens the last page.

STOCK_ORDER = ("-received_at", "-pk")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def encode_stock_cursor(device) -> str:
    # Whole microseconds, not a float: the cursor must name the exact instant stored.
    raw = f"{(device.received_at - EPOCH) // MICROSECOND}:{device.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_stock_cursor(cursor: str | None):
    """(received_at, id) from a cursor, or None for a missing or damaged one (the first page then)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split(":")
        return EPOCH + int(stamp) * MICROSECOND, int(pk)
    except (ValueError, UnicodeDecodeError, OverflowError, OSError):
        return None


def stock_page(queryset, *, after=None, before=None, last=False, size=50):
    """One page of the stock and the cursors around it: (rows, previous cursor, next cursor).

    The bound is written `received_at <= t AND (received_at < t OR id < pk)`: the first half is an index
    range on every backend, the second drops the rows of the same instant already shown.
    """
    after_key, before_key = decode_stock_cursor(after), decode_stock_cursor(before)
    backwards = last or (before_key is not None and after_key is None)
    if after_key is not None:
        stamp, pk = after_key
        queryset = queryset.filter(Q(received_at__lte=stamp) & (Q(received_at__lt=stamp) | Q(pk__lt=pk)))
    elif before_key is not None:
        stamp, pk = before_key
        queryset = queryset.filter(Q(received_at__gte=stamp) & (Q(received_at__gt=stamp) | Q(pk__gt=pk)))
    order = ("received_at", "pk") if backwards else STOCK_ORDER
    rows = list(queryset.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next = not last
        has_previous = more
    else:
        has_next = more
        has_previous = after_key is not None
    previous_cursor = encode_stock_cursor(rows[0]) if rows and has_previous else None
    next_cursor = encode_stock_cursor(rows[-1]) if rows and has_next else None
    return rows, previous_cursor, next_cursor


# The lots offered by the filter, read once and cached until a lot changes ------------------------------------
# The list shows them in a select on every page: without the cache that select alone would be one more query
# per page. Any save or deletion of a lot (a new lot assigned, a status that changes its label) bumps a version
# that is part of the key, so a workshop never sees a stale list; entries also expire after an hour.

LOTS_VERSION_KEY = "inventory:lots:version"
LOTS_TTL = 3600


def lots_version() -> str:
    current = cache.get(LOTS_VERSION_KEY)
    if current is None:
        cache.add(LOTS_VERSION_KEY, "1", None)
        current = cache.get(LOTS_VERSION_KEY, "1")
    return current


def bump_lots(**kwargs) -> None:
    transaction.on_commit(lambda: cache.set(LOTS_VERSION_KEY, str(time.time_ns()), None))


def lot_choices(workshop_ids) -> list[tuple[int, str]]:
    """[(lot id, label)] of the lots assigned to these workshops (None: every workshop, for staff)."""
    scope = "all" if workshop_ids is None else ",".join(str(pk) for pk in sorted(workshop_ids))
    key = f"inventory:lots:{lots_version()}:{get_language()}:{scope}"
    choices = cache.get(key)
    if choices is None:
        lots = Lot.objects.filter(workshop__isnull=False)
        if workshop_ids is not None:
            lots = Lot.objects.filter(workshop_id__in=list(workshop_ids))
        choices = [(lot.pk, str(lot)) for lot in lots.order_by("-created")]
        cache.set(key, choices, LOTS_TTL)
    return choices


def connect_lot_choices() -> None:
    post_save.connect(bump_lots, sender=Lot, dispatch_uid="inventory.lot_choices.saved")
    post_delete.connect(bump_lots, sender=Lot, dispatch_uid="inventory.lot_choices.deleted")
