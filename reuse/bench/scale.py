"""bench_scale's data: the demo workshop filled by COPY (PostgreSQL) up to a million devices, in the state mix of a
workshop that has run for a while, with the erasure rows the product requires.

COPY bypasses the services (one call per device would take hours at this volume), so the rows the services would
write are written here in bulk: a verified erasure of its one medium (reuse.bench.data.ERASURE, as
inventory.services.erasures.record_erasure writes it) for every data-bearing device that went past `ready`, and then
reuse.bench.data.check_erasure_records proves that no data-bearing device online lacks one. The dates are given
explicitly in the COPY (a spread of ages in stock), not left to auto_now_add.
"""

import random
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from inventory import counts, demo
from inventory.enums import DATA_BEARING_TYPES, DeviceState, DeviceType
from inventory.models import IDENTITY_FIELDS, Device
from reuse.bench.data import ERASURE, check_erasure_records

TAG_PREFIX = "M"  # 8 characters with 0 and 1: never a random Rebond tag (6 characters, no 0 or 1)
TAG_PATTERN = "^M[0-9]{7}$"
# The columns of inventory_device that COPY fills, in the order of device_rows().
COLUMNS = (
    "workshop_id",
    *IDENTITY_FIELDS,
    "price_cents",
    "year",
    "cpu",
    "ram_gb",
    "storage_type",
    "storage_gb",
    "os",
    "keyboard_layout",
    "accessories",
    "repair_notes",
    "diagnostics",
    "media_count",
    "outcome_department",
    "recycle_channel",
    "recycle_reference",
    "received_at",
    "state_changed_at",
)
# State mix of a workshop that has run for a while: most devices are gone (handed over) or waiting.
DATA_STATES = [
    (DeviceState.RECEIVED, 30),
    (DeviceState.IN_REPAIR, 12),
    (DeviceState.READY, 8),
    (DeviceState.LISTED, 25),
    (DeviceState.RESERVED, 2),
    (DeviceState.HANDED_OVER, 20),
    (DeviceState.RECYCLED, 2),
    (DeviceState.PARTS, 1),
]
PLAIN_STATES = [(DeviceState.RECEIVED, 30), (DeviceState.LISTED, 40), (DeviceState.HANDED_OVER, 30)]
ERASED_STATES = (DeviceState.READY, DeviceState.LISTED, DeviceState.RESERVED, DeviceState.HANDED_OVER)
PRICED_STATES = (DeviceState.LISTED, DeviceState.RESERVED, DeviceState.HANDED_OVER)


def device_rows(workshop_id: int, start: int, count: int):
    """COPY rows (in COLUMNS order) of devices `start` … `start + count - 1`: four in five hold data."""
    rng = random.Random(16)
    now = timezone.now()
    data_types = [t for t in DeviceType.values if t in DATA_BEARING_TYPES]
    plain_types = [t for t in DeviceType.values if t not in DATA_BEARING_TYPES]
    data_states = [state for state, weight in DATA_STATES for _ in range(weight)]
    plain_states = [state for state, weight in PLAIN_STATES for _ in range(weight)]
    for index in range(start, start + count):
        data_bearing = index % 5 != 4
        types = data_types if data_bearing else plain_types
        kind = types[index % len(types)]
        state = rng.choice(data_states if data_bearing else plain_states)
        models = demo.MODELS.get(kind, [("Iiyama", "ProLite", "", None, None, None, "")])
        brand, model, cpu, ram, storage, _screen, system = models[index % len(models)]
        received = now - timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86_399))
        recycled = state == DeviceState.RECYCLED
        yield (
            workshop_id,
            f"{TAG_PREFIX}{index:07d}",
            kind,
            brand,
            model,
            f"MS{index:07d}",
            state,
            rng.choice("ABC") if state != DeviceState.RECEIVED else "",
            rng.choice([0, 2000, 4000, 6000]) if state in PRICED_STATES else None,
            2017 + index % 6,
            cpu or "",
            ram,
            "ssd" if storage else "",
            storage,
            system or "",
            "azerty",
            "",
            "",
            "",
            1 if data_bearing else 0,
            "93" if state == DeviceState.HANDED_OVER else "",
            "Ecosystem" if recycled else "",
            f"BSD-{index}" if recycled else "",
            received,
            received + timedelta(days=1),
        )


def insert_erasures(cursor, operator_id: int) -> int:
    """The verified erasure of its one medium for every seeded data-bearing device past `ready` that has none,
    done twelve hours after it was received; the number of rows written."""
    columns = ", ".join(ERASURE)
    values = ", ".join(["%s"] * len(ERASURE))
    states = ", ".join(["%s"] * len(ERASED_STATES))
    cursor.execute(
        f"""
        INSERT INTO inventory_erasurerecord (device_id, {columns}, media_make, media_model, media_serial,
          operator_id, performed_at, notes, created)
        SELECT id, {values}, '', '', 'DISK-' || asset_tag, %s, received_at + interval '12 hours', '', now()
        FROM inventory_device
        WHERE asset_tag ~ %s AND id NOT IN (SELECT device_id FROM inventory_erasurerecord)
          AND media_count = 1 AND state IN ({states})
        """,
        [*ERASURE.values(), operator_id, TAG_PATTERN, *ERASED_STATES],
    )
    return cursor.rowcount


def seed(*, workshop, operator, wanted: int) -> str:
    """Add devices until the database holds `wanted`; one line saying what was done and how long it took."""
    missing = wanted - Device.objects.count()
    if missing <= 0:
        return f"seeding: nothing to add ({wanted} devices already there)"
    begin = time.monotonic()
    start = Device.objects.filter(asset_tag__startswith=TAG_PREFIX, asset_tag__regex=TAG_PATTERN).count()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY inventory_device ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in device_rows(workshop.pk, start, missing):
                copy.write_row(row)
        copied = time.monotonic() - begin
        erasures = insert_erasures(cursor, operator.pk)
    checked = check_erasure_records()
    folded = counts.compact()
    with connection.cursor() as cursor:
        for table in ("inventory_device", "inventory_erasurerecord", "inventory_stockcount"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return (
        f"seeding: {missing} devices by COPY in {copied:.1f} s, {erasures} erasure records ({checked} data-bearing "
        f"devices online, each with a verified erasure), {folded} count changes folded, VACUUM ANALYZE; "
        f"{time.monotonic() - begin:.1f} s in all"
    )
