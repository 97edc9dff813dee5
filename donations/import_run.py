"""Running a manifest import in two passes: check every row without writing, then write in batches.

The job was started by donations.imports (upload, the donor's answers); this is what its Celery task runs.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from donations import texts
from donations.enums import ImportMode, ImportNeeds, ImportState
from donations.exports.aliases import fold
from donations.imports import EDITABLE_STATUSES, reading_for
from donations.manifest import MAX_ERRORS_KEPT, ManifestError, ManifestReader, NeedsColumns, Reading
from donations.models import ImportJob, Lot, LotItem
from donations.models.imports import IMPORTS
from reuse import texts as file_texts
from reuse.errors import database_busy, row_problem
from reuse.serials import short_of_zeros

BATCH_SIZE = 1000
MAX_VALUES_SHOWN = 50
MAX_WARNINGS_KEPT = 1000
ITEM_FIELDS = [
    "type",
    "brand",
    "model",
    "asset_tag",
    "year",
    "cpu",
    "os",
    "ram_gb",
    "storage_gb",
    "condition",
    "quantity",
    "net_book_value_cents",
    "row_number",
]


# The first key of the PostgreSQL advisory locks that keep one attempt per import job (the second is the job's id).
IMPORT_LOCK_SPACE = 4242


class ImportExpired(Exception):
    """The import fell silent past the stale age and was recorded as failed (ImportJobQuerySet.expire_stale): its
    lot may have moved on, so it writes nothing more."""


class ImportBusy(Exception):
    """Another attempt of this import is running: the broker handed the message again while it still ran."""


@contextmanager
def one_attempt_at_a_time(job_id: int):
    """Hold the import's advisory lock while one attempt runs, or raise ImportBusy.

    A broker hands an unacknowledged message again once its visibility timeout has passed, even when the worker
    that has it is alive and still importing (a long file on a loaded machine): two attempts would then write the
    same lot at once (the rows without a serial twice). The lock belongs to the attempt's database session, so
    it also goes when its process dies and the connection closes: the next delivery takes over. SQLite has one
    writer at a time, and the default profile runs its tasks eagerly one after the other: no lock there.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK_SPACE, job_id])
        if not cursor.fetchone()[0]:
            raise ImportBusy(job_id)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK_SPACE, job_id])


def _set_progress(job_id: int, progress: int, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress=progress, updated=timezone.now(), **fields)


@dataclass
class Check:
    """What the first pass learned, without writing anything."""

    errors: list = field(default_factory=list)
    error_count: int = 0
    warnings: list = field(default_factory=list)
    warning_count: int = 0
    total: int = 0
    valid: int = 0
    unknown: dict = field(default_factory=dict)
    normalised: Counter = field(default_factory=Counter)
    inferred: Counter = field(default_factory=Counter)
    raw_values: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    def bad_rows(self) -> set:
        return {error["row"] for error in self.errors}

    def unknown_list(self) -> list:
        return [
            {"key": key, "value": info["value"], "count": info["count"], "rows": info["rows"]}
            for key, info in sorted(self.unknown.items(), key=lambda item: -item[1]["count"])[
                :MAX_VALUES_SHOWN
            ]
        ]

    def normalised_list(self) -> list:
        return [
            {"key": key, "value": self.raw_values[key], "type": kind, "basis": basis, "count": count}
            for (key, kind, basis), count in self.normalised.most_common(MAX_VALUES_SHOWN)
        ]


def _summary(reader: ManifestReader, check: Check) -> dict:
    plan = reader.plan.as_dict() if reader.plan else {}
    return {
        "plan": plan,
        "header_row": reader.header_number,
        "preview": reader.preview,
        "ignored": reader.plan.ignored if reader.plan else [],
        "totals": reader.totals[:MAX_VALUES_SHOWN],
        "repeated_headers": reader.repeated_headers[:MAX_VALUES_SHOWN],
        "repeated_rows": reader.repeated_rows[:MAX_VALUES_SHOWN],
        "lost_headers": reader.lost_headers[:MAX_VALUES_SHOWN],
        "lost_rows": reader.lost_rows[:MAX_VALUES_SHOWN],
        "lost_row_count": len(reader.lost_rows),
        "units": reader.units,
        "normalised": check.normalised_list(),
        "inferred": [
            {"type": kind, "basis": basis, "count": n} for (kind, basis), n in check.inferred.items()
        ],
        "inferred_rows": sum(check.inferred.values()),
        "unknown": check.unknown_list(),
    }


def _check_file(job: ImportJob, fileobj, reading: Reading) -> tuple[ManifestReader, Check]:
    check = Check()
    serials: dict[str, int] = {}
    # The file size gives a fair estimate of the row count for the progress bar of pass 1.
    estimated_rows = max(job.size // 60, 1)
    reader = ManifestReader(fileobj, reading)
    for row in reader.rows():
        check.total += 1
        serial = row.values.get("serial", "")
        if serial:
            key = serial.casefold()
            first = serials.get(key)
            if first is not None:
                row.errors.append(
                    row_problem(row.number, "serial", texts.DUPLICATE_SERIAL(serial=serial, first=first))
                )
            else:
                serials[key] = row.number
        if row.unknown_type is not None:
            info = check.unknown.setdefault(
                row.unknown_type, {"value": row.type_raw[:80], "count": 0, "rows": []}
            )
            info["count"] += 1
            if len(info["rows"]) < 5:
                info["rows"].append(row.number)
        elif row.type_basis in ("os", "model"):
            check.inferred[(row.values["type"], row.type_basis)] += 1
        elif row.type_basis in ("synonym", "choice", "column") and row.type_raw:
            key = fold(row.type_raw)
            check.raw_values.setdefault(key, row.type_raw[:80])
            check.normalised[(key, row.values["type"], row.type_basis)] += 1
        if row.errors:
            check.error_count += len(row.errors)
            room = MAX_ERRORS_KEPT - len(check.errors)
            if room > 0:
                check.errors.extend(row.errors[:room])
        else:
            check.valid += 1
            if row.warnings:
                check.warning_count += len(row.warnings)
                room = MAX_WARNINGS_KEPT - len(check.warnings)
                if room > 0:
                    check.warnings.extend(row.warnings[:room])
        if check.total % 2000 == 0:
            _set_progress(job.pk, min(49, int(50 * check.total / estimated_rows)))
    _warn_short_of_zeros(check, serials)
    _set_progress(job.pk, 50)
    check.summary = _summary(reader, check)
    return reader, check


def _warn_short_of_zeros(check: Check, serials: dict[str, int]) -> None:
    """Serials of digits shorter than the file's others: known once every row is read."""
    bad_rows = check.bad_rows()
    for serial, usual in short_of_zeros(serials).items():
        if serials[serial] in bad_rows:
            continue
        check.warning_count += 1
        if len(check.warnings) < MAX_WARNINGS_KEPT:
            said = file_texts.EXCEL_ZEROS_SERIAL(value=serial, digits=len(serial), usual=usual)
            check.warnings.append(row_problem(serials[serial], "serial", said))


def _stop(job_id, *, message=None, **fields) -> ImportJob:
    """The job ends « failed »; `message` (a stored text: donations.texts) says why when the whole file is."""
    IMPORTS.update_where(
        ImportJob.objects.filter(pk=job_id),
        ImportState.FAILED,
        progress=100,
        message=message or {},
        updated=timezone.now(),
        **fields,
    )
    return ImportJob.objects.get(pk=job_id)


def run_import(job_id: int) -> ImportJob:
    """Check the whole file, then write it in batches.

    Pass 1 reads every row and keeps only the errors, warnings and the serials seen: nothing is written, so
    a file with one bad row (or a broken file, or a question for the donor) leaves the lot untouched. Pass 2
    reads the file again and upserts rows by serial in committed batches: a worker killed in the middle is
    retried (acks_late) and re-writes the same rows by serial without duplicating them. One attempt runs at a
    time: another raises ImportBusy (one_attempt_at_a_time).
    """
    with one_attempt_at_a_time(job_id):
        try:
            return _run_import(job_id)
        except Exception as error:
            if database_busy(error):
                # The demo's eager run, inside the donor's request, waited out SQLite's busy timeout. The job row is
                # saved, so the request answers (not « rien n’a été enregistré ») and the job says to send the file
                # again: the batches already written are matched by serial then, not duplicated.
                return _stop(job_id, message=texts.BUSY())
            # Left « running », the job would hold its lot for good: a lot does not move on while an import waits or
            # runs (donations.transitions.no_import_in_flight). The donor is told to send the file again; the error
            # still reaches the worker's log.
            _stop(job_id, message=texts.INTERRUPTED())
            raise


def _run_import(job_id: int) -> ImportJob:
    # A delivery that comes after the job fell silent past the stale age does not start it: its lot may have moved.
    ImportJob.objects.filter(pk=job_id).expire_stale()
    job = ImportJob.objects.select_related("lot").get(pk=job_id)
    if job.state in (ImportState.DONE, ImportState.FAILED):
        return job
    IMPORTS.update_where(
        ImportJob.objects.filter(pk=job_id),
        ImportState.RUNNING,
        progress=0,
        attempts=job.attempts + 1,
        updated=timezone.now(),
    )
    reading = reading_for(job.lot, job.choices)
    try:
        with job.file.open("rb") as fileobj:
            _reader, check = _check_file(job, fileobj, reading)
    except NeedsColumns as exc:
        summary = {
            "plan": exc.plan.as_dict(),
            "header_row": exc.header_number,
            "preview": exc.preview,
            "ignored": exc.plan.ignored,
        }
        return _stop(job_id, message=exc.stored(), needs=ImportNeeds.COLUMNS, summary=summary)
    except ManifestError as exc:
        return _stop(job_id, message=exc.stored())
    except FileNotFoundError:
        return _stop(job_id, message=texts.FILE_GONE())
    report = {
        "errors": check.errors,
        "error_count": check.error_count,
        "warnings": check.warnings,
        "warning_count": check.warning_count,
        "total_rows": check.total,
        "valid_rows": check.valid,
        "summary": check.summary,
    }
    all_or_nothing = job.mode == ImportMode.ALL_OR_NOTHING
    if all_or_nothing and check.unknown:
        return _stop(job_id, needs=ImportNeeds.VALUES, **report)
    if all_or_nothing and check.error_count:
        return _stop(job_id, **report)
    if check.warning_count and not job.choices.get("confirm_warnings"):
        return _stop(job_id, needs=ImportNeeds.WARNINGS, **report)
    if check.valid == 0:
        return _stop(job_id, message=texts.NO_VALID_ROW(), **report)
    lot = Lot.objects.get(pk=job.lot_id)
    if lot.status not in EDITABLE_STATUSES:
        return _stop(job_id, message=texts.LOT_LOCKED())
    created = updated = 0
    try:
        with job.file.open("rb") as fileobj:
            bad_rows = check.bad_rows() if job.mode == ImportMode.VALID_ROWS else set()
            # Rows without a serial cannot be matched: the new file's replace the previous ones.
            LotItem.objects.filter(lot=lot, serial="").delete()
            batch, done = [], 0
            for row in ManifestReader(fileobj, reading).rows():
                if row.errors or row.number in bad_rows:
                    continue
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    c, u = _write_batch(job_id, lot, batch)
                    created, updated, done = created + c, updated + u, done + len(batch)
                    batch = []
                    _set_progress(job_id, 50 + int(49 * done / max(check.valid, 1)))
            if batch:
                c, u = _write_batch(job_id, lot, batch)
                created, updated = created + c, updated + u
    except ManifestError as exc:
        return _stop(job_id, message=exc.stored())
    except ImportExpired:
        return ImportJob.objects.get(pk=job_id)
    IMPORTS.update_where(
        ImportJob.objects.filter(pk=job_id),
        ImportState.DONE,
        progress=100,
        needs="",
        created_rows=created,
        updated_rows=updated,
        updated=timezone.now(),
        **report,
    )
    return ImportJob.objects.get(pk=job_id)


def _write_batch(job_id: int, lot, batch):
    with transaction.atomic():
        # Under the lot's lock, as the items typed in the form or sent to the API (services.add_items): each reads
        # the serials already there once the other's rows are committed, and neither inserts one twice.
        Lot.objects.select_for_update().filter(pk=lot.pk).first()
        # And as a move of the lot: one that expired this import meanwhile is seen here, before any row.
        job = ImportJob.objects.filter(pk=job_id)
        job.expire_stale()
        if not job.in_flight().exists():
            raise ImportExpired(job_id)
        return write_rows(lot, batch)


def write_rows(lot: Lot, rows) -> tuple[int, int]:
    """Upsert rows by serial (rows without a serial are appended). Returns (created, updated)."""
    # Serials are matched as the duplicate check of pass 1 compares them, whatever their case: one tool
    # exports "pf1abcde" where another wrote "PF1ABCDE", and it is the same device (its first serial is kept).
    keys = {row.values["serial"].upper() for row in rows if row.values["serial"]}
    existing = {
        item.key: item for item in LotItem.objects.annotate(key=Upper("serial")).filter(lot=lot, key__in=keys)
    }
    to_create, to_update = [], []
    for row in rows:
        values = {name: row.values[name] for name in (*ITEM_FIELDS[:-1], "serial")}
        values["row_number"] = row.number
        item = existing.get(values["serial"].upper()) if values["serial"] else None
        if item is None:
            to_create.append(LotItem(lot=lot, **values))
        else:
            for name in ITEM_FIELDS:
                setattr(item, name, values[name])
            to_update.append(item)
    LotItem.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        LotItem.objects.bulk_update(to_update, ITEM_FIELDS, batch_size=BATCH_SIZE)
    return len(to_create), len(to_update)
