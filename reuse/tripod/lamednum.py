"""Import of digital mediation places from the national open data, LaMednum schema "standard-mediation-num".

CSV (`,` or `;`, UTF-8 or cp1252, list fields joined with "|") or JSON (a list of objects, or an object holding
one). Each row is checked on its own: a bad row is refused with its row number, field and reason, the good rows
are written in one transaction, and a place already known is updated by its `id`, never duplicated. Errors are
stored as codes with parameters (reuse.tripod.texts) and rendered in the reader's language.
"""

import html
import io
import json
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse import spreadsheets, uploads
from reuse.accounts.validators import normalise_phone
from reuse.errors import InvalidInput, TooLarge, row_problem
from reuse.filekinds import read_at_most
from reuse.pdf import plain
from reuse.tripod import texts
from reuse.tripod.models import MediationPlace, PlaceImport

MAX_BYTES = uploads.MEDIATION_PLACES.max_bytes
MAX_ROWS = 200_000
REQUIRED = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj", "services")
# Schema column → model field, for the plain text columns.
TEXT_COLUMNS = {
    "nom": "name",
    "commune": "commune",
    "adresse": "address",
    "horaires": "opening_hours",
    "telephone": "phone",
    "courriels": "emails",
    "site_web": "website",
    "typologie": "typology",
    "frais_a_charge": "fees",
    "modalites_acces": "access",
    "prise_en_charge_specifique": "accessibility",
    "source": "source",
}
PIVOT = re.compile(r"^(\d{14}|W\d{9})$")
POSTCODE = re.compile(r"^\d{5}$")
FOUR_DIGITS = re.compile(r"^[1-9]\d{3}$")
URL_TIMEOUT_SECONDS = 60


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_rows(data: bytes, filename: str = "") -> list[tuple[int, object]]:
    """(row number, raw row) pairs: CSV rows numbered as a spreadsheet shows them (header is row 1)."""
    if len(data) > MAX_BYTES:
        raise TooLarge(texts.TOO_LARGE)
    text = _decode(data).lstrip()
    if not text:
        raise InvalidInput(texts.EMPTY, code="empty")
    if filename.lower().endswith(".json") or text[:1] in "[{":
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(texts.BAD_JSON, code="bad_json", params={"line": exc.lineno}) from exc
        if isinstance(payload, dict):
            payload = next((value for value in payload.values() if isinstance(value, list)), None)
        if not isinstance(payload, list):
            raise InvalidInput(texts.NO_LIST, code="bad_json")
        rows = list(enumerate(payload, start=1))
    else:
        rows = _spreadsheet_rows(data)
    if len(rows) > MAX_ROWS:
        raise TooLarge(texts.TOO_MANY, params={"max": MAX_ROWS})
    return rows


def _spreadsheet_rows(data: bytes) -> list[tuple[int, dict]]:
    """The rows of a CSV (or of the same table saved again by a spreadsheet: tab-separated UTF-16, XLSX, ODS), read
    by the one spreadsheet reader, as {column: value} numbered as the spreadsheet shows them."""
    lines = enumerate(spreadsheets.rows(io.BytesIO(data)), start=1)
    header = next((row for _number, row in lines if not spreadsheets.is_blank(row)), [])
    headers = [name.strip() for name in header]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise InvalidInput(
            texts.MISSING_COLUMNS, code="missing_columns", params={"names": ", ".join(missing)}
        )
    return [
        (number, dict(zip(headers, [*cells, *[None] * (len(headers) - len(cells))], strict=False)))
        for number, cells in lines
        if not spreadsheets.is_blank(cells)
    ]


# Markup pasted from a website into the national files: a script or style element goes with its content, any
# other tag leaves a space; entities are decoded, and what they spell (« &lt;b&gt; ») is no tag either.
SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]*>?")


def _text(value) -> str:
    """Every value of a row, as the plain text a person reads: no markup, no control character, one line."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(item for item in map(_text, value) if item)
    text = html.unescape(TAG.sub(" ", SCRIPT.sub(" ", str(value))))
    return " ".join(plain(text).replace("<", " ").replace(">", " ").split())


def clean_row(number: int, raw) -> tuple[dict | None, list[dict], list[dict]]:
    """The model fields of one row, or the row's errors; and what was left out of a row kept (its warnings)."""
    if not isinstance(raw, dict):
        return None, [row_problem(number, "", texts.NOT_OBJECT())], []
    row = {(key or "").strip(): value for key, value in raw.items()}
    errors, warnings = [], []

    def refuse(name, text, **params):
        errors.append(row_problem(number, name, text(**params)))

    for name in REQUIRED:
        if not _text(row.get(name)):
            refuse(name, texts.REQUIRED)
    values = {"external_id": _text(row.get("id")), "pivot": _text(row.get("pivot")).replace(" ", "")}
    if values["pivot"] and not PIVOT.match(values["pivot"]):
        refuse("pivot", texts.PIVOT, value=values["pivot"][:40])
    postcode = _text(row.get("code_postal"))
    if postcode and not POSTCODE.match(postcode):
        # 01000 to 09999 opened in Excel come back as four digits: which zero went is said, never guessed.
        four = FOUR_DIGITS.match(postcode)
        refuse("code_postal", texts.POSTCODE_ZERO if four else texts.POSTCODE, value=postcode[:40])
    values["postcode"] = postcode
    raw_date = _text(row.get("date_maj"))
    try:
        values["updated_on"] = date.fromisoformat(raw_date[:10]) if raw_date else None
    except ValueError:
        refuse("date_maj", texts.DATE, value=raw_date[:40])
    for name, bound in (("latitude", 90), ("longitude", 180)):
        raw_value = _text(row.get(name))
        if not raw_value:
            values[name] = None
            continue
        try:
            number_value = float(raw_value.replace(",", "."))
        except ValueError:
            number_value = None
        if number_value is None or not -bound <= number_value <= bound:
            refuse(name, texts.COORDINATE, value=raw_value[:40])
        values[name] = number_value
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        values["latitude"] = values["longitude"] = None
    for column, attribute in TEXT_COLUMNS.items():
        text = _text(row.get(column))
        limit = MediationPlace._meta.get_field(attribute).max_length
        if len(text) > limit:
            refuse(column, texts.TOO_LONG, max=limit)
        values[attribute] = text
    if len(values["external_id"]) > 200:
        refuse("id", texts.TOO_LONG, max=200)
    services = row.get("services")
    values["services"] = (
        [item for item in map(_text, services) if item]
        if isinstance(services, list)
        else [part.strip() for part in _text(services).split("|") if part.strip()]
    )
    accessibility = _text(row.get("fiche_acces_libre"))
    if accessibility and not values["accessibility"]:
        values["accessibility"] = accessibility[:300]
    # A place is worth listing without its phone: a number no one can dial is left out, the row kept and warned.
    try:
        values["phone"] = normalise_phone(values["phone"])
    except ValidationError:
        warnings.append(row_problem(number, "telephone", texts.PHONE(value=values["phone"][:40])))
        values["phone"] = ""
    return (None if errors else values), errors, ([] if errors else warnings)


UPDATED_FIELDS = [
    "pivot",
    "name",
    "commune",
    "postcode",
    "address",
    "latitude",
    "longitude",
    "services",
    "opening_hours",
    "phone",
    "emails",
    "website",
    "typology",
    "fees",
    "access",
    "accessibility",
    "source",
    "updated_on",
    "imported_at",
]


def import_places(data: bytes, *, filename: str, source: str, by=None) -> PlaceImport:
    """Read, check and write a file of places; returns the import's record (errors by row included).

    A file that cannot be read at all is refused with a typed error and recorded as a failure.
    """
    try:
        rows = read_rows(data, filename)
    except (InvalidInput, TooLarge) as exc:
        PlaceImport.objects.create(source=source, filename=filename[:500], failure=exc.stored(), by=by)
        raise
    outcome = Outcome(rows=len(rows))
    cleaned: dict[str, dict] = {}
    first_seen: dict[str, int] = {}
    for number, raw in rows:
        values, errors, warnings = clean_row(number, raw)
        if values is not None and values["external_id"] in first_seen:
            errors = [row_problem(number, "id", texts.DUPLICATE(first=first_seen[values["external_id"]]))]
            values = None
        outcome.errors.extend(errors)
        if values is not None:
            outcome.warnings.extend(warnings)
            first_seen[values["external_id"]] = number
            cleaned[values["external_id"]] = values
    now = timezone.now()
    with transaction.atomic():
        existing = {}
        ids = list(cleaned)
        for start in range(0, len(ids), 900):
            existing.update(
                MediationPlace.objects.filter(external_id__in=ids[start : start + 900]).in_bulk(
                    field_name="external_id"
                )
            )
        to_create, to_update = [], []
        for external_id, values in cleaned.items():
            values["imported_at"] = now
            place = existing.get(external_id)
            if place is None:
                to_create.append(MediationPlace(**values))
            else:
                for name in UPDATED_FIELDS:
                    setattr(place, name, values[name])
                to_update.append(place)
        MediationPlace.objects.bulk_create(to_create, batch_size=500)
        MediationPlace.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=500)
        outcome.created, outcome.updated = len(to_create), len(to_update)
        record = PlaceImport.objects.create(
            source=source,
            filename=filename[:500],
            rows=outcome.rows,
            created_count=outcome.created,
            updated_count=outcome.updated,
            errors=outcome.errors,
            warnings=outcome.warnings,
            by=by,
        )
    return record


def fetch(url: str) -> bytes:
    """The file at the configured address (the national open data, or a mirror), at most MAX_BYTES."""
    if not url.startswith(("https://", "http://")):
        raise InvalidInput(texts.BAD_URL, code="bad_url")
    request = urllib.request.Request(url, headers={"User-Agent": "Rebond"})
    with urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response:  # noqa: S310 - checked scheme
        return read_at_most(response, MAX_BYTES, _("Le fichier dépasse 64 Mo."))


def refresh_from_configured_url() -> PlaceImport | None:
    url = settings.MEDIATION_PLACES_URL
    if not url:
        return None
    return import_places(fetch(url), filename=url, source="scheduled")
