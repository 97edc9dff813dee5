"""Manifest import use-cases: upload, the donor's answers (columns, values, unusual values), the two passes.

The contract of the first importer holds: a 202 job per upload, per-row errors, all-or-nothing unless the donor
chooses the valid rows, re-import updates by serial. What is new is that an import may stop before writing
anything and wait for the donor: columns not recognised with confidence, device-type values it cannot map,
values possible but unlikely (a laptop with 244,198 GB). The donor answers on the mapping page (or through
the API); the answers are saved for the organisation and the same file is imported again as a new job. The
import itself, in two passes, is donations.import_run.
"""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from donations import tasks
from donations.enums import ImportMode, LotStatus, ManifestColumn, SizeUnit
from donations.exports.aliases import fold
from donations.exports.columns import SIZE_FIELDS
from donations.manifest import Reading
from donations.models import ColumnChoice, HeaderAlias, ImportJob, Lot, TypeChoice
from inventory.enums import DeviceType
from reuse import uploads
from reuse.accounts.models import User
from reuse.errors import Conflict, InvalidInput

EDITABLE_STATUSES = (LotStatus.DRAFT, LotStatus.SUBMITTED)


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


def editable_lot(lot_id: int) -> Lot:
    """The lot, locked until the end of the transaction, whose manifest may still change (or Conflict).

    Every import job is created under this lock: a move of the lot, which refuses to happen while an import waits
    or runs (donations.transitions.no_import_in_flight), takes the same lock, so one always sees the other.
    """
    lot = Lot.objects.select_for_update().get(pk=lot_id)
    if lot.status not in EDITABLE_STATUSES:
        raise Conflict(_("Ce lot ne peut plus être modifié."))
    return lot


@transaction.atomic
def start_import(*, lot: Lot, uploaded, user: User, choices=None) -> ImportJob:
    """Store the uploaded file and enqueue its import; checks what can be checked without reading it."""
    lot = editable_lot(lot.pk)
    if uploaded is None:
        raise InvalidInput(_("Choisissez un fichier CSV, XLSX, ODS ou XLS."))
    uploads.MANIFEST.check(uploaded)
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
    # The lot before the job, as everywhere: accepted or cancelled meanwhile, refused.
    editable_lot(job.lot_id)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.may_import_valid_rows:
        raise Conflict(_("Cet import ne propose pas l’import des seules lignes valides."))
    return _again(job, user, mode=ImportMode.VALID_ROWS, choices=job.choices)


@transaction.atomic
def answer_import(*, job: ImportJob, user: User, choices) -> ImportJob:
    """The donor's answers on the mapping page: saved for the organisation, then the same file again."""
    # The lot before the job, as everywhere: accepted or cancelled meanwhile, refused.
    editable_lot(job.lot_id)
    job = ImportJob.objects.select_for_update().select_related("lot").get(pk=job.pk)
    if not job.may_map:
        raise Conflict(
            _("Cet import n’est pas terminé : attendez la fin avant de corriger la correspondance.")
        )
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
    transaction.on_commit(lambda: tasks.import_manifest.delay(job.pk))
