"""Devices per workshop, state, type and grade, kept by the database: the stock list counts without a scan.

Every write of inventory_device goes through triggers installed by migration 0005, in the same transaction as
the write, whatever makes it: a lifecycle move (one device or a bench batch), a check-in, an import, a bulk
load (bulk_create or COPY), a deletion, an edit of type or grade in the admin. No Python call site can be
forgotten, and a bulk load pays one aggregated statement, not one per row.

On PostgreSQL the triggers (one per statement, reading the statement's transition tables) append the net
change to StockCountChange instead of updating the counter row: two transactions moving devices of the same
workshop never wait on a shared row, so a household's claim and an association's batch cannot deadlock on it.
`compact()` (a Celery beat task every minute, and after a bulk load) folds the appended changes into
StockCount in one statement; a count reads both, so it is exact at any time. On SQLite (tests, demo) writers
are serialised anyway and the triggers update StockCount directly.
"""

from django.db import connection, connections, transaction
from django.db.models import Count

from inventory.enums import DeviceState
from inventory.models import Device

DEVICE = "inventory_device"
COUNTS = "inventory_stockcount"
CHANGES = "inventory_stockcountchange"
KEY = "workshop_id, state, type, grade"

POSTGRESQL_INSTALL = [
    f"LOCK TABLE {DEVICE} IN SHARE ROW EXCLUSIVE MODE",
    f"""
    CREATE OR REPLACE FUNCTION inventory_device_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO {CHANGES} ({KEY}, n)
        SELECT {KEY}, count(*) FROM new_rows GROUP BY {KEY};
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {CHANGES} ({KEY}, n)
        SELECT {KEY}, -count(*) FROM old_rows GROUP BY {KEY};
      ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {CHANGES} ({KEY}, n)
        SELECT {KEY}, sum(n) FROM (
          SELECT {KEY}, 1 AS n FROM new_rows
          UNION ALL
          SELECT {KEY}, -1 AS n FROM old_rows
        ) AS moves GROUP BY {KEY} HAVING sum(n) <> 0;
      ELSE
        DELETE FROM {CHANGES};
        DELETE FROM {COUNTS};
      END IF;
      RETURN NULL;
    END
    $$
    """,
    f"""CREATE TRIGGER inventory_device_count_insert AFTER INSERT ON {DEVICE}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inventory_device_count_changes()""",
    f"""CREATE TRIGGER inventory_device_count_update AFTER UPDATE ON {DEVICE}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_device_count_changes()""",
    f"""CREATE TRIGGER inventory_device_count_delete AFTER DELETE ON {DEVICE}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION inventory_device_count_changes()""",
    f"""CREATE TRIGGER inventory_device_count_truncate AFTER TRUNCATE ON {DEVICE}
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_device_count_changes()""",
]
POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS inventory_device_count_{event} ON {DEVICE}"
    for event in ("insert", "update", "delete", "truncate")
] + ["DROP FUNCTION IF EXISTS inventory_device_count_changes()"]

_ADD_NEW = (
    f"INSERT INTO {COUNTS} ({KEY}, n) VALUES (NEW.workshop_id, NEW.state, NEW.type, NEW.grade, 1) "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1;"
)
_REMOVE_OLD = (
    f"UPDATE {COUNTS} SET n = n - 1 WHERE workshop_id = OLD.workshop_id AND state = OLD.state "
    "AND type = OLD.type AND grade = OLD.grade;"
)
SQLITE_INSTALL = [
    f"CREATE TRIGGER inventory_device_count_insert AFTER INSERT ON {DEVICE} BEGIN {_ADD_NEW} END",
    f"CREATE TRIGGER inventory_device_count_delete AFTER DELETE ON {DEVICE} BEGIN {_REMOVE_OLD} END",
    f"""CREATE TRIGGER inventory_device_count_update AFTER UPDATE OF {KEY} ON {DEVICE}
    WHEN OLD.workshop_id IS NOT NEW.workshop_id OR OLD.state IS NOT NEW.state OR OLD.type IS NOT NEW.type
      OR OLD.grade IS NOT NEW.grade
    BEGIN {_REMOVE_OLD} {_ADD_NEW} END""",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS inventory_device_count_{event}" for event in ("insert", "update", "delete")
]


def _run(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _recount():
    _run(
        [
            f"DELETE FROM {CHANGES}",
            f"DELETE FROM {COUNTS}",
            f"INSERT INTO {COUNTS} ({KEY}, n) SELECT {KEY}, count(*) FROM {DEVICE} GROUP BY {KEY}",
        ]
    )


def install(apps=None, schema_editor=None) -> None:
    """Create the triggers and count the devices already there (migration 0005), under a table lock."""
    if connection.vendor == "postgresql":
        _run(POSTGRESQL_INSTALL)
    else:
        _run(SQLITE_INSTALL)
    _recount()


def reinstall_if_dropped(using="default", **kwargs) -> None:
    """After every migrate (post_migrate): SQLite alters a column by copying the table, and the copy has no
    trigger. A migration that changes a field of Device there (its class, a constraint) silently stopped the
    counts, and the stock list showed 0 devices. Triggers missing on SQLite are installed again and the devices
    counted afresh; PostgreSQL alters tables in place and keeps them."""
    database = connections[using]
    if database.vendor != "sqlite" or not {DEVICE, COUNTS} <= set(database.introspection.table_names()):
        return
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [DEVICE]
        )
        (present,) = cursor.fetchone()
    if present < len(SQLITE_INSTALL):
        _run(SQLITE_UNINSTALL)
        install()


def uninstall(apps=None, schema_editor=None) -> None:
    _run(POSTGRESQL_UNINSTALL if connection.vendor == "postgresql" else SQLITE_UNINSTALL)


@transaction.atomic
def rebuild() -> None:
    """Count again from the devices (after restoring a dump made without triggers, say)."""
    if connection.vendor == "postgresql":
        _run([f"LOCK TABLE {DEVICE} IN SHARE ROW EXCLUSIVE MODE"])
    _recount()


def compact() -> int:
    """Fold the appended changes into the counters, in one statement; returns how many were folded.

    Rows are upserted in key order, so two compactions at once never deadlock; a change still being
    written by an open transaction is invisible here and is folded by the next run.
    """
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH folded AS (DELETE FROM {CHANGES} RETURNING {KEY}, n),
            summed AS (
              INSERT INTO {COUNTS} ({KEY}, n)
              SELECT {KEY}, sum(n) FROM folded GROUP BY {KEY} ORDER BY {KEY}
              ON CONFLICT ({KEY}) DO UPDATE SET n = {COUNTS}.n + EXCLUDED.n
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM folded), (SELECT count(*) FROM summed)
            """
        )
        return cursor.fetchone()[0]


def state_counts(workshop_ids=None, *, type: str = "", grade: str = "") -> list[tuple[str, int]]:
    """[(state, count)] in lifecycle order, in one query: the counters plus the changes not yet folded.

    `workshop_ids` None means every workshop (staff); `type` and `grade` narrow the count like the filters.
    """
    where, params = [], []
    if workshop_ids is not None:
        ids = [int(pk) for pk in workshop_ids]
        if not ids:
            return [(state, 0) for state in DeviceState]
        where.append(f"workshop_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if type:
        where.append("type = %s")
        params.append(type)
    if grade:
        where.append("grade = %s")
        params.append(grade)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT state, sum(n) FROM (SELECT state, n FROM {COUNTS} {condition} "
            f"UNION ALL SELECT state, n FROM {CHANGES} {condition}) AS counted GROUP BY state",
            params + params,
        )
        found = {state: int(total) for state, total in cursor.fetchall()}
    return [(state, found.get(state.value, 0)) for state in DeviceState]


def fresh_counts(workshop_ids=None, *, type: str = "", grade: str = "") -> list[tuple[str, int]]:
    """The same figures by COUNT over the devices (what the counters must always equal)."""
    devices = Device.objects.all()
    if workshop_ids is not None:
        devices = devices.filter(workshop_id__in=list(workshop_ids))
    if type:
        devices = devices.filter(type=type)
    if grade:
        devices = devices.filter(grade=grade)
    found = dict(devices.order_by().values_list("state").annotate(n=Count("*")))
    return [(state, found.get(state.value, 0)) for state in DeviceState]
