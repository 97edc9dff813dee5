"""The benchmarks' own rows: throwaway organisations, listed devices in bulk, and their removal.

Benchmark data obeys the product's rules, so that a figure is measured on data the product could hold: a listed
(or reserved, or handed over) data-bearing device has a verified erasure of each of its media, written with the
same columns `inventory.services.erasures.record_erasure` writes. The volumes (100,000 listed devices, 1,000,000 in
bench_scale) rule out one service call per device; `check_erasure_records` proves the rule afterwards in one
query.
"""

import random
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from inventory.demo import MODELS, device_specs
from inventory.enums import DATA_BEARING_TYPES, DeviceState, ErasureMethod, StorageMedium
from inventory.erasure import GUARDED_STATES
from inventory.models import Device, DeviceEvent, ErasureRecord
from inventory.services.devices import unused_asset_tags
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Organisation, User

# Where every benchmark organisation is: a workshop or donor the demo's households can reach (Saint-Denis, 93).
BENCH_PLACE = dict(address="1 rue du Banc", postcode="93200", city="Saint-Denis", department="93")
# The erasure each benchmark medium had: the verified purge a workshop records after nwipe (one pass).
ERASURE = dict(
    method=ErasureMethod.PURGE,
    tool="nwipe",
    tool_version="0.36",
    media_type=StorageMedium.SSD,
    verified=True,
    passes=1,
)
BATCH = 5000


def bench_organisation(*, kind: str, name: str, **identifiers) -> Organisation:
    """An approved organisation of the benchmark (SIRET or RNA in `identifiers`), created once."""
    defaults = {**BENCH_PLACE, "status": OrganisationStatus.APPROVED, **identifiers}
    return Organisation.objects.get_or_create(kind=kind, name=name, defaults=defaults)[0]


def bench_user(email: str, **fields) -> User:
    return User.objects.get_or_create(email=email, defaults=fields)[0]


def erasure_rows(devices, operator) -> list[ErasureRecord]:
    """The verified erasure of each medium of each data-bearing device, as record_erasure would write it."""
    performed = timezone.now() - timedelta(hours=1)
    return [
        ErasureRecord(
            device=device,
            media_serial=f"DISK-{device.asset_tag}-{medium}",
            operator=operator,
            performed_at=performed,
            **ERASURE,
        )
        for device in devices
        if device.type in DATA_BEARING_TYPES
        for medium in range(1, device.media_count + 1)
    ]


def listed_devices(*, workshop: Organisation, operator: User, prefix: str, start: int, stop: int) -> None:
    """Listed devices `prefix`+`start` … `prefix`+`stop - 1` of the benchmark catalogue (laptops first, then
    desktops, tablets and phones), each erased and verified by `operator`."""
    types = ["laptop", "laptop", "desktop", "tablet", "smartphone"]
    for first in range(start, stop, BATCH):
        devices = Device.objects.bulk_create(
            Device(
                workshop=workshop,
                asset_tag=f"{prefix}{index:08d}",
                type=types[index % 5],
                brand="Dell",
                model=f"Latitude {5000 + index % 900}",
                state=DeviceState.LISTED,
                grade="ABC"[index % 3],
                price_cents=(index % 12) * 1000,
                ram_gb=(4, 8, 16)[index % 3],
                storage_gb=256,
                media_count=1,
                os="Linux Mint",
                keyboard_layout="azerty",
            )
            for index in range(first, min(first + BATCH, stop))
        )
        ErasureRecord.objects.bulk_create(erasure_rows(devices, operator), batch_size=BATCH)
    check_erasure_records(Device.objects.filter(asset_tag__startswith=prefix))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inventory_device")


def erased_devices(devices, operator: User) -> list[int]:
    """`devices` as a workshop leaves them after the bench: one medium in each data-bearing one, erased and
    verified by `operator`; their ids, in order."""
    devices = list(devices.order_by("pk"))
    for device in devices:
        device.media_count = 1 if device.type in DATA_BEARING_TYPES else 0
    Device.objects.bulk_update(devices, ["media_count"], batch_size=1000)
    ErasureRecord.objects.bulk_create(erasure_rows(devices, operator), batch_size=1000)
    return [device.pk for device in devices]


def bench_outcomes(outcomes: dict) -> None:
    """Put benchmark devices where thousands of claims and recyclings would have left them: {state: (device ids,
    other fields)}, by UPDATE like `listed_devices` creates its rows listed (the lifecycle's one move a device
    would cost minutes at these volumes); the caller proves the erasure rule with `check_erasure_records`."""
    for state, (chosen, fields) in outcomes.items():
        for start in range(0, len(chosen), 500):
            Device.objects.filter(pk__in=chosen[start : start + 500]).update(state=state, **fields)


def check_erasure_records(devices=None) -> int:
    """Stop the benchmark when a data-bearing device online lacks a verified erasure of one of its media (a
    figure measured on data the product refuses would mean nothing); the number of devices checked otherwise."""
    devices = Device.objects.all() if devices is None else devices
    online = devices.filter(state__in=GUARDED_STATES, type__in=DATA_BEARING_TYPES, media_count__gt=0)
    erased = Count("erasures__media_serial", filter=Q(erasures__verified=True), distinct=True)
    missing = online.annotate(erased=erased).filter(erased__lt=F("media_count")).count()
    if missing:
        raise CommandError(f"{missing} benchmark devices online without a verified erasure of each medium.")
    return online.count()


def delete_devices(prefix: str) -> None:
    """Remove the benchmark's devices tagged `prefix` with their journal and erasure records.

    Journals are append-only through the ORM, and the ORM's per-object cascade and signals take minutes at
    100,000 rows: raw DELETEs. A row that gained another reference (a claim, a photo) fails loudly.
    """
    devices = f"SELECT id FROM {Device._meta.db_table} WHERE asset_tag LIKE %s"
    with connection.cursor() as cursor:
        for model in (DeviceEvent, ErasureRecord):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE device_id IN ({devices})", [f"{prefix}%"]
            )
        cursor.execute(f"DELETE FROM {Device._meta.db_table} WHERE asset_tag LIKE %s", [f"{prefix}%"])


def _bulk_create_keeping_dates(batch):
    """The benchmark needs a spread of ages in stock, and auto_now_add stamps every new row with now: the rows are
    created, then their dates set by a bulk update (which, like QuerySet.update, leaves auto_now* alone)."""
    dates = [(device.received_at, device.state_changed_at) for device in batch]
    created = Device.objects.bulk_create(batch, batch_size=2000)
    for device, (received_at, state_changed_at) in zip(created, dates, strict=True):
        device.received_at, device.state_changed_at = received_at, state_changed_at
    Device.objects.bulk_update(created, ["received_at", "state_changed_at"], batch_size=2000)
    return created


def bulk_devices(workshop, actor, count):
    """Many realistic devices in few queries: for the benchmarks, not for the demo journey."""
    rng = random.Random(20)
    tags = unused_asset_tags()
    now = timezone.now()
    start = Device.objects.filter(workshop=workshop).count()
    types = list(MODELS)
    batch, events = [], []
    for index in range(count):
        tag = next(tags)
        device_type = types[index % len(types)]
        specs = device_specs(device_type, index)
        # Listing needs erasure proof: only devices without data go online in bulk.
        if device_type in DATA_BEARING_TYPES:
            state = rng.choice([DeviceState.RECEIVED, DeviceState.IN_REPAIR, DeviceState.READY])
            grade, price = ("" if state == DeviceState.RECEIVED else rng.choice("ABC")), None
        else:
            state, grade, price = DeviceState.LISTED, rng.choice("ABC"), rng.choice([0, 1000, 2000])
        received = now - timedelta(days=rng.randint(0, 200), minutes=index % 1440)
        batch.append(
            Device(
                workshop=workshop,
                asset_tag=tag,
                type=device_type,
                serial=f"BULK-{start + index:07d}-{tag}",
                state=state,
                grade=grade,
                price_cents=price,
                received_at=received,
                state_changed_at=received,
                **specs,
            )
        )
    created = _bulk_create_keeping_dates(batch)
    for device in created:
        events.append(
            DeviceEvent(
                device=device,
                actor=actor,
                from_state="",
                to_state=DeviceState.RECEIVED,
                note="Import en masse",
            )
        )
    DeviceEvent.objects.bulk_create(events, batch_size=2000)
    return len(created)
