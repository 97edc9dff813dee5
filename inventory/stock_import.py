"""The stock import: a workshop's spreadsheet of devices, created or updated by serial, all rows or none.

The file is read by `reuse.spreadsheets`, the reader of donors' manifests: CSV with `;`, `,` or tab, UTF-8,
Windows-1252, Mac OS Roman or UTF-16 (Excel's « Texte Unicode »), or XLSX, with the same French errors; the
header may come below a title row, found as the manifest finds it (`spreadsheets.find_header`).
"""

import io
import itertools

from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from donations.exports.types import infer_type, known_type
from inventory import stock_columns, texts
from inventory.enums import DeviceType
from inventory.forms import DeviceImportForm
from inventory.models import Device
from inventory.services.devices import TERMINAL_STATES, _create_device, hold_stock, update_device
from inventory.services.stock_csv import RowErrors
from reuse import spreadsheets, uploads
from reuse import texts as file_texts
from reuse.accounts.models import Organisation, User
from reuse.errors import InvalidInput, render_text
from reuse.lost_letters import lost_letters, notice, row_lost_letters
from reuse.serials import ASCII_DIGITS, excel_rewrite, serial_text

IMPORT_MAX_BYTES = uploads.STOCK_FILE.max_bytes
IMPORT_MAX_ROWS = 10_000


def _read_rows(data: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    """(row number as in the spreadsheet, values keyed by device field) for each row of a CSV or XLSX file, and
    the headers an ASCII export wrote with « ? » (read all the same)."""
    fileobj = io.BytesIO(data)
    spreadsheets.check_size(fileobj, max_bytes=IMPORT_MAX_BYTES, message=str(uploads.STOCK_FILE.message))
    lines = spreadsheets.rows(fileobj)
    try:
        return _parse_rows(lines)
    finally:
        lines.close()


def _parse_rows(lines) -> tuple[list[tuple[int, dict]], list[str]]:
    """Rows keyed by device field, read from headers in French, in English or as codes (stock_columns).

    The columns the export gives for information only (tag, state, lot, date received) are skipped, so an
    exported file comes back unchanged.
    """
    # A title row or blank rows above the header (PowerShell's « #TYPE » line reads as one) are skipped, as in
    # donors' manifests; rows keep the numbers the spreadsheet shows.
    header_number, header, pending = spreadsheets.find_header(lines, _names_serial)
    lost_headers = [str(name).strip() for name in header if lost_letters(name)]
    header = stock_columns.restored(header)
    columns = {index: stock_columns.column_of(name) for index, name in enumerate(header) if name}
    serial = stock_columns.BY_CODE["serial"]
    if serial not in columns.values():
        raise InvalidInput(
            _("La ligne des en-têtes doit nommer les colonnes, dont « %(serial)s ».")
            % {"serial": serial.header()}
        )
    names = [name for name in header if name]
    if any(stock_columns.normalise(name) == stock_columns.LEGACY_CENTS for name in names):
        raise InvalidInput(
            _(
                "Les prix se donnent en euros : renommez la colonne « price_cents » en « %(header)s » et écrivez « 45,00 » pour 45 €."
            )
            % {"header": stock_columns.BY_CODE["price_euros"].header()}
        )
    unknown = [header[index] for index, column in columns.items() if column is None]
    if unknown:
        raise InvalidInput(
            _("Colonnes inconnues : %(c)s. Colonnes reconnues : %(known)s.")
            % {"c": ", ".join(unknown), "known": ", ".join(stock_columns.header_row())}
        )
    rows = []
    for number, raw in enumerate(itertools.chain(pending, lines), start=header_number + 1):
        if spreadsheets.is_blank(raw):
            continue
        values = {}
        for index, column in columns.items():
            if not column.field:
                continue
            value = raw[index].strip() if index < len(raw) else ""
            if column.choices is not None and value:
                value = stock_columns.choice_code(column, value)
            if column.field in stock_columns.DECIMAL_FIELDS:
                value = value.replace(",", ".")
            values[column.field] = value
        rows.append((number, values))
        if len(rows) > IMPORT_MAX_ROWS:
            raise InvalidInput(_("Le fichier dépasse %(n)s lignes.") % {"n": IMPORT_MAX_ROWS})
    if not rows:
        raise InvalidInput(_("Le fichier ne contient aucune ligne."))
    return rows, lost_headers


def _names_serial(row: list) -> bool:
    return stock_columns.BY_CODE["serial"] in map(stock_columns.column_of, stock_columns.restored(row))


def _zero_led_serials(workshop: Organisation, serials: list[str]) -> dict:
    """Devices whose serial Excel would save without its leading zeros, by the serial it would save."""
    digits = {serial for serial in serials if ASCII_DIGITS.fullmatch(serial)}
    if not digits:
        return {}
    candidates = Device.objects.filter(workshop=workshop, serial__startswith="0").exclude(
        state__in=TERMINAL_STATES
    )
    found = {}
    for device in candidates.only("serial", "asset_tag"):
        if ASCII_DIGITS.fullmatch(device.serial) and device.serial.lstrip("0") in digits:
            found.setdefault(device.serial.lstrip("0"), device)
    return found


def _excel_mangled(serial: str, zero_led: dict, column: str) -> str:
    """Why a serial reads as one a spreadsheet rewrote on saving; "" when it does not. `column` is the serial
    column's header, as the file names it."""
    if rewrite := excel_rewrite(serial):
        return render_text(file_texts.EXCEL_REWRITES[rewrite](value=serial[:40]))
    device = zero_led.get(serial)
    if device is not None:
        return _(
            "Excel a retiré les zéros en tête de ce numéro de série : il s’agit sans doute de %(serial)s "
            "(%(tag)s). Mettez la colonne « %(column)s » au format Texte et corrigez le numéro."
        ) % {"serial": device.serial, "tag": device.asset_tag, "column": column}
    return ""


def _typed(row: dict, *, new: bool) -> dict:
    """The type read as the donors' manifests read it (donations/exports/types.py): a word or a tool's category
    (« Ordinateurs portables », « Notebook », « Smartphones »), or, for a new device whose type is left empty,
    inferred from its system and model (« iPadOS », « Latitude 5420 »). What nobody can tell stays as written,
    and the row is refused with the type's own error."""
    given = str(row.get("type") or "").strip()
    if given in DeviceType.values:
        return row
    if given:
        code = known_type(given)
    elif new:
        code, _basis = infer_type(
            os=str(row.get("os") or ""), model=str(row.get("model") or ""), brand=str(row.get("brand") or "")
        )
    else:
        code = ""
    return {**row, "type": code} if code else row


def _missing_serial(value) -> str:
    if str(value or "").strip():
        return _(
            "« %(value)s » est le numéro de série qu’écrit le micrologiciel quand le fabricant n’en a pas mis : "
            "saisissez celui de l’étiquette de l’appareil."
        ) % {"value": str(value).strip()}
    return _("Numéro de série manquant.")


@transaction.atomic
def import_stock_csv(*, workshop: Organisation, actor: User, data: bytes) -> dict:
    """Create or update devices by serial. Every row is checked first; one bad row and nothing is written. The
    same file sent twice at once: the second waits for the first and updates what it created (hold_stock)."""
    rows, lost_headers = _read_rows(data)
    # Values an ASCII export wrote with « ? » are kept as written and pointed out, as in donors' manifests.
    lost = notice(
        headers=lost_headers, rows=[number for number, row in rows if row_lost_letters(row.values())]
    )
    hold_stock(workshop)
    serial_header = stock_columns.BY_CODE["serial"].header()
    errors, plans, seen = [], [], set()
    existing = {}
    # A row finds its device whatever the case and the spaces around its serial (reuse/serials.py).
    serials = [serial for _number, row in rows if (serial := serial_text(row.get("serial")))]
    stock = Device.objects.filter(workshop=workshop).annotate(serial_upper=Upper("serial"))
    for device in stock.filter(serial_upper__in={s.upper() for s in serials}).select_related("workshop"):
        existing.setdefault(device.serial.upper(), []).append(device)
    zero_led = _zero_led_serials(workshop, [serial for serial in serials if serial.upper() not in existing])
    for number, row in rows:
        serial = serial_text(row.get("serial"))
        if not serial:
            errors.append(
                {"row": number, "field": serial_header, "message": _missing_serial(row.get("serial"))}
            )
            continue
        if serial.upper() in seen:
            errors.append({"row": number, "field": serial_header, "message": _("Numéro de série en double.")})
            continue
        seen.add(serial.upper())
        mangled = _excel_mangled(serial, zero_led, serial_header)
        if mangled:
            errors.append({"row": number, "field": serial_header, "message": mangled})
            continue
        matches = existing.get(serial.upper(), [])
        if len(matches) > 1:
            errors.append(
                {
                    "row": number,
                    "field": serial_header,
                    "message": _("Plusieurs appareils ont ce numéro de série."),
                }
            )
            continue
        instance = matches[0] if matches else Device(workshop=workshop)
        if instance.pk and instance.state in TERMINAL_STATES:
            errors.append(
                {"row": number, "field": serial_header, "message": _("Cet appareil a quitté le stock.")}
            )
            continue
        row = _typed(row, new=instance.pk is None)
        data_row = {key: value for key, value in row.items() if value != "" or not instance.pk}
        form = DeviceImportForm(data_row, instance=instance, present=list(data_row))
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = stock_columns.BY_FIELD.get(name)
                for message in messages:
                    errors.append(
                        {"row": number, "field": column.header() if column else "", "message": message}
                    )
            continue
        plans.append((form, instance.pk is None))
    if errors:
        raise RowErrors(errors, lost_letters=lost)
    created = updated = 0
    for form, is_new in plans:
        if is_new:
            values = {name: form.cleaned_data[name] for name in form.present_fields()}
            _create_device(actor=actor, note=texts.STOCK_IMPORT(), workshop=workshop, **values)
            created += 1
        else:
            changes = {name: form.cleaned_data[name] for name in form.present_fields() if name != "serial"}
            update_device(device=form.instance, actor=actor, **changes)
            updated += 1
    return {"created": created, "updated": updated, "lost_letters": lost}
