"""Manifest import use-cases: upload, the donor's answers (columns, values, unusual values), the two passes.

The contract of the first importer holds: a 202 job per upload, per-row errors, all-or-nothing unless the donor
chooses the valid rows, re-import updates by serial. What is new is that an import may stop before writing
anything and wait for the donor: columns not recognised with confidence, device-type values it cannot map,
values possible but unlikely (a laptop with 244,198 GB). The donor answers on the mapping page (or through
the API); the answers are saved for the organisation and the same file is imported again as a new job.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from donations.enums import ImportMode, ImportNeeds, ImportState, LotStatus, ManifestColumn, SizeUnit
from donations.exports.aliases import fold
from donations.exports.columns import SIZE_FIELDS
from donations.manifest import (
    MAX_BYTES,
    MAX_ERRORS_KEPT,
    ManifestError,
    ManifestReader,
    NeedsColumns,
    Reading,
)
from donations.models import ColumnChoice, HeaderAlias, ImportJob, Lot, LotItem, TypeChoice
from inventory.enums import DeviceType
from reuse.accounts.models import User
from reuse.errors import Conflict, InvalidInput, TooLarge

BATCH_SIZE = 1000
EDITABLE_STATUSES = (LotStatus.DRAFT, LotStatus.SUBMITTED)
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


# --- the donor's answers --------------------------------------------------------------------------------


def clean_choices(raw) -> dict:
    """The donor's answers in their stored shape; InvalidInput (in French) for anything else.

    Accepts headers and values as the donor sees them (they are folded here), e.g. from the API:
    {"columns": {"N° S/N": "serial", "Couleur": ""}, "units": {"Disque": "mb"},
     "types": {"Notebook": "laptop", "": "desktop"}, "confirm_warnings": true}.
    """
    if raw in (None, ""):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise InvalidInput(_("La correspondance doit être un objet JSON.")) from exc
    if not isinstance(raw, dict):
        raise InvalidInput(_("La correspondance doit être un objet JSON."))
    unknown = set(raw) - {"columns", "units", "types", "confirm_warnings"}
    if unknown:
        raise InvalidInput(
            _("Clés inconnues : %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))[:200]}
        )
    choices: dict = {}
    columns = raw.get("columns") or {}
    units = raw.get("units") or {}
    types = raw.get("types") or {}
    if not all(isinstance(part, dict) for part in (columns, units, types)):
        raise InvalidInput(_("« columns », « units » et « types » sont des objets."))
    if columns:
        chosen = {}
        for header, name in columns.items():
            if name not in ("", *ManifestColumn.values):
                raise InvalidInput(
                    _("Colonne du manifeste inconnue : « %(name)s ».") % {"name": str(name)[:40]}
                )
            if name and name in chosen.values():
                raise InvalidInput(
                    _("La colonne « %(label)s » est choisie deux fois.")
                    % {"label": ManifestColumn(name).label}
                )
            chosen[fold(header)] = name
        choices["columns"] = chosen
    if units:
        for unit in units.values():
            if unit not in ("", *SizeUnit.values):
                raise InvalidInput(_("Unité inconnue : « %(unit)s ».") % {"unit": str(unit)[:10]})
        choices["units"] = {fold(header): unit for header, unit in units.items() if unit}
    if types:
        for kind in types.values():
            if kind not in DeviceType.values:
                raise InvalidInput(_("Type d’appareil inconnu : « %(kind)s ».") % {"kind": str(kind)[:40]})
        choices["types"] = {fold(value): kind for value, kind in types.items()}
    if raw.get("confirm_warnings"):
        choices["confirm_warnings"] = True
    return choices


def reading_for(lot: Lot, choices: dict) -> Reading:
    """The file's answers over the organisation's saved ones, and the staff's header aliases."""
    saved = list(
        ColumnChoice.objects.filter(organisation_id=lot.donor_id).values_list("key", "field", "unit")
    )
    types = dict(TypeChoice.objects.filter(organisation_id=lot.donor_id).values_list("key", "type"))
    types.update(choices.get("types", {}))
    units = {key: unit for key, _field, unit in saved if unit}
    units.update(choices.get("units", {}))
    return Reading(
        columns=choices.get("columns", {}),
        saved_columns={key: name for key, name, _unit in saved},
        units=units,
        types=types,
        aliases=dict(HeaderAlias.objects.values_list("key", "field")),
        confirmed=bool(choices.get("columns")),
    )


# --- starting an import ---------------------------------------------------------------------------------


@transaction.atomic
def start_import(*, lot: Lot, uploaded, user: User, choices=None) -> ImportJob:
    """Store the uploaded file and enqueue its import; checks what can be checked without reading it."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if lot.status not in EDITABLE_STATUSES:
        raise Conflict(_("Ce lot ne peut plus être modifié."))
    if uploaded is None:
        raise InvalidInput(_("Choisissez un fichier CSV ou XLSX."))
    if uploaded.size > MAX_BYTES:
        raise TooLarge(_("Le fichier dépasse 20 Mo : découpez-le en plusieurs manifestes."))
    if uploaded.size == 0:
        raise InvalidInput(_("Le fichier est vide."))
    cleaned = clean_choices(choices)
    name = (uploaded.name or "manifeste").rsplit("/", 1)[-1][:200]
    job = ImportJob(lot=lot, created_by=user, filename=name, size=uploaded.size, choices=cleaned)
    job.file.save(f"lot{lot.pk}-{name}", uploaded, save=False)
    job.save()
    _enqueue(job)
    return job


def _again(job: ImportJob, user: User, *, mode: str, choices: dict) -> ImportJob:
    new = ImportJob.objects.create(
        lot=job.lot,
        created_by=user,
        file=job.file.name,
        filename=job.filename,
        size=job.size,
        mode=mode,
        choices=choices,
    )
    _enqueue(new)
    return new


@transaction.atomic
def import_valid_rows(*, job: ImportJob, user: User) -> ImportJob:
    """The donor's choice after a report: import the same file again, skipping the rows in error."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.may_import_valid_rows:
        raise Conflict(_("Cet import ne propose pas l’import des seules lignes valides."))
    return _again(job, user, mode=ImportMode.VALID_ROWS, choices=job.choices)


@transaction.atomic
def answer_import(*, job: ImportJob, user: User, choices) -> ImportJob:
    """The donor's answers on the mapping page: saved for the organisation, then the same file again."""
    job = ImportJob.objects.select_for_update().select_related("lot").get(pk=job.pk)
    if not job.may_map:
        raise Conflict(
            _("Cet import n’est pas terminé : attendez la fin avant de corriger la correspondance.")
        )
    if job.lot.status not in EDITABLE_STATUSES:
        raise Conflict(_("Ce lot ne peut plus être modifié."))
    cleaned = clean_choices(choices)
    columns = cleaned.get("columns", {})
    if columns:
        used = set(columns.values())
        has_type = "type" in used or "" in cleaned.get("types", {})
        if not used - {""}:
            raise InvalidInput(_("Choisissez au moins une colonne à lire."))
        if not has_type and not used & {"os", "model"}:
            raise InvalidInput(
                _("Choisissez la colonne du type d’appareil, ou un type pour toutes les lignes.")
            )
    headers = {column["key"]: column["header"] for column in job.summary.get("plan", {}).get("columns", [])}
    for key, name in columns.items():
        ColumnChoice.objects.update_or_create(
            organisation_id=job.lot.donor_id,
            key=key,
            defaults={
                "header": headers.get(key, key)[:200],
                "field": name,
                "unit": cleaned.get("units", {}).get(key, "") if name in SIZE_FIELDS else "",
                "updated_by": user,
            },
        )
    values = {item["key"]: item["value"] for item in job.summary.get("unknown", [])}
    values.update({item["key"]: item["value"] for item in job.summary.get("normalised", [])})
    for key, kind in cleaned.get("types", {}).items():
        TypeChoice.objects.update_or_create(
            organisation_id=job.lot.donor_id,
            key=key,
            defaults={"value": values.get(key, key)[:200], "type": kind, "updated_by": user},
        )
    return _again(job, user, mode=ImportMode.ALL_OR_NOTHING, choices=cleaned)


def _enqueue(job: ImportJob) -> None:
    from donations.tasks import import_manifest

    transaction.on_commit(lambda: import_manifest.delay(job.pk))


# --- running it -----------------------------------------------------------------------------------------


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
                    {
                        "row": row.number,
                        "field": "numéro de série",
                        "message": _("Numéro de série « %(serial)s » en double (déjà ligne %(first)s).")
                        % {"serial": serial, "first": first},
                    }
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
    _set_progress(job.pk, 50)
    check.summary = _summary(reader, check)
    return reader, check


def _stop(job_id, *, message="", **fields) -> ImportJob:
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportState.FAILED, progress=100, message=message, updated=timezone.now(), **fields
    )
    return ImportJob.objects.get(pk=job_id)


def run_import(job_id: int) -> ImportJob:
    """Check the whole file, then write it in batches.

    Pass 1 reads every row and keeps only the errors, warnings and the serials seen: nothing is written, so
    a file with one bad row (or a broken file, or a question for the donor) leaves the lot untouched. Pass 2
    reads the file again and upserts rows by serial in committed batches: a worker killed in the middle is
    retried (acks_late) and re-writes the same rows by serial without duplicating them.
    """
    job = ImportJob.objects.select_related("lot").get(pk=job_id)
    if job.state in (ImportState.DONE, ImportState.FAILED):
        return job
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportState.RUNNING, progress=0, attempts=job.attempts + 1, updated=timezone.now()
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
        return _stop(job_id, message=exc.message, needs=ImportNeeds.COLUMNS, summary=summary)
    except ManifestError as exc:
        return _stop(job_id, message=exc.message)
    except FileNotFoundError:
        return _stop(job_id, message=_("Le fichier envoyé est introuvable : envoyez-le à nouveau."))
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
        return _stop(job_id, message=_("Aucune ligne valide à importer."), **report)
    lot = Lot.objects.get(pk=job.lot_id)
    if lot.status not in EDITABLE_STATUSES:
        return _stop(job_id, message=_("Ce lot ne peut plus être modifié."))
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
                    c, u = _write_batch(lot, batch)
                    created, updated, done = created + c, updated + u, done + len(batch)
                    batch = []
                    _set_progress(job_id, 50 + int(49 * done / max(check.valid, 1)))
            if batch:
                c, u = _write_batch(lot, batch)
                created, updated = created + c, updated + u
    except ManifestError as exc:
        return _stop(job_id, message=exc.message)
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportState.DONE,
        progress=100,
        needs="",
        created_rows=created,
        updated_rows=updated,
        updated=timezone.now(),
        **report,
    )
    return ImportJob.objects.get(pk=job_id)


def _write_batch(lot, batch):
    with transaction.atomic():
        return write_rows(lot, batch)


def write_rows(lot: Lot, rows) -> tuple[int, int]:
    """Upsert rows by serial (rows without a serial are appended). Returns (created, updated)."""
    with_serial = [row for row in rows if row.values["serial"]]
    existing = {
        item.serial: item
        for item in LotItem.objects.filter(lot=lot, serial__in=[row.values["serial"] for row in with_serial])
    }
    to_create, to_update = [], []
    for row in rows:
        values = {name: row.values[name] for name in (*ITEM_FIELDS[:-1], "serial")}
        values["row_number"] = row.number
        item = existing.get(values["serial"]) if values["serial"] else None
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
