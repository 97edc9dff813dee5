"""Per-serial outcomes of a lot, as the donor sees them (never a beneficiary's identity), and their exports."""

import io

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from donations.enums import OutcomeKind
from donations.services import reconcile
from inventory.enums import DeviceState, DeviceType
from inventory.erasure import erasure_state, media_outcomes
from inventory.models import IDENTITY_FIELDS, Device, ErasureRecord
from reuse.csvfiles import neutralise


def lot_devices(lot):
    """The lot's devices with their erasures: two queries whatever the size of the lot."""
    return (
        Device.objects.filter(lot=lot)
        .order_by("serial", "asset_tag", "pk")
        .only(
            "pk",
            "lot_id",
            *IDENTITY_FIELDS,
            "media_count",
            "outcome_department",
            "recycle_channel",
            "recycle_reference",
            "received_at",
        )
        .prefetch_related(
            Prefetch(
                "erasures",
                queryset=ErasureRecord.objects.order_by("performed_at", "pk").only(
                    "pk",
                    "device_id",
                    "method",
                    "tool",
                    "tool_version",
                    "media_serial",
                    "performed_at",
                    "verified",
                ),
            )
        )
    )


def outcome_of(device) -> dict:
    if device.state == DeviceState.HANDED_OVER:
        return {
            "kind": OutcomeKind.REUSED,
            "department": device.outcome_department,
            "channel": "",
            "label": _("Remis à un foyer ou une association du département %(dep)s")
            % {"dep": device.outcome_department or "?"},
        }
    if device.state == DeviceState.RECYCLED:
        label = _("Recyclé via la filière %(channel)s") % {"channel": device.recycle_channel or "DEEE"}
        if device.recycle_reference:
            label += f" ({device.recycle_reference})"
        return {
            "kind": OutcomeKind.RECYCLED,
            "department": "",
            "channel": device.recycle_channel,
            "label": label,
        }
    if device.state == DeviceState.PARTS:
        return {
            "kind": OutcomeKind.PARTS,
            "department": "",
            "channel": "",
            "label": _("Conservé pour pièces détachées"),
        }
    return {
        "kind": OutcomeKind.PENDING,
        "department": "",
        "channel": "",
        "label": _("En cours : %(state)s") % {"state": device.get_state_display()},
    }


def erasure_summary(device) -> dict | None:
    erasures = list(device.erasures.all())
    if not erasures:
        return None
    last = erasures[-1]
    latest = media_outcomes(erasures)
    state = erasure_state(device, latest)
    return {
        "count": len(latest),
        "state": state,
        "verified": state == "verified",
        "method": last.method,
        "method_label": last.get_method_display(),
        "tool": f"{last.tool} {last.tool_version}".strip(),
        "date": last.performed_at,
    }


def erasure_word(erasure: dict | None) -> str:
    if erasure is None:
        return _("aucun")
    if erasure["state"] == "incomplete":
        return _("incomplet")
    return _("vérifié") if erasure["verified"] else _("échec")


def device_rows(lot, devices=None):
    """(device, erasure summary, outcome) of the lot's devices, or of `devices` (a slice of `lot_devices`)."""
    for device in (lot_devices(lot) if devices is None else devices).iterator(chunk_size=2000):
        yield device, erasure_summary(device), outcome_of(device)


EXPORT_HEADER = [
    "numero_de_serie",
    "etiquette",
    "type",
    "marque",
    "modele",
    "etat",
    "grade",
    "effacement",
    "effacement_methode",
    "effacement_outil",
    "effacement_date",
    "devenir",
    "departement",
    "filiere_deee",
    # Added last: the columns before keep their place for the donors' spreadsheets that read them.
    "effacement_norme",
]
NIST_LEVEL = {
    "clear": "NIST SP 800-88 Clear",
    "purge": "NIST SP 800-88 Purge",
    "destroy": "NIST SP 800-88 Destroy",
}


def not_received(lot) -> list[dict]:
    """The manifest's serials that no device of the lot carries (donations.services.reconcile: serial, type,
    brand, model): lost on the way, kept by the donor, or not checked in yet. A donor comparing its manifest with
    the certificate or the export finds each of its serials, these ones said as such."""
    return [
        {name: item[name] for name in ("serial", "type", "brand", "model")}
        for item in reconcile(lot)["missing"]
    ]


def export_rows(lot):
    yield EXPORT_HEADER
    for device, erasure, outcome in device_rows(lot):
        yield [
            neutralise(value)
            for value in (
                device.serial,
                device.asset_tag,
                device.get_type_display(),
                device.brand,
                device.model,
                device.get_state_display(),
                device.grade,
                erasure_word(erasure),
                erasure["method"] if erasure else "",
                erasure["tool"] if erasure else "",
                timezone.localtime(erasure["date"]).strftime("%Y-%m-%d") if erasure else "",
                outcome["label"],
                outcome["department"],
                outcome["channel"],
                NIST_LEVEL.get(erasure["method"], erasure["method"]) if erasure else "",
            )
        ]
    types = dict(DeviceType.choices)
    for item in not_received(lot):
        yield [
            neutralise(value)
            for value in (
                item["serial"],
                "",
                types.get(item["type"], item["type"]),
                item["brand"],
                item["model"],
                _("Non reçu"),
                "",
                erasure_word(None),
                "",
                "",
                "",
                _("Déclaré au manifeste, non reçu par l’atelier"),
                "",
                "",
                "",
            )
        ]


def export_xlsx(lot) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Devenir")
    for row in export_rows(lot):
        cells = []
        for value in row:
            if isinstance(value, Promise):  # a label still to translate (a device type's name): its text now
                value = str(value)
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Stored as text: a value starting with "=" is never written as a formula.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
