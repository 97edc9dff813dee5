"""Per-serial outcomes of a lot, as the donor sees them (never a beneficiary's identity), and their exports."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from donations.enums import OutcomeKind
from donations.services import reconcile
from inventory.enums import DeviceState, DeviceType
from inventory.erasure import erasure_state, media_outcomes
from inventory.models import IDENTITY_FIELDS, Device, ErasureRecord
from reuse.csvfiles import neutralise
from reuse.workbooks import xlsx_bytes


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


# The weakest first: the level a device's erasure can be vouched for is its least erased medium's.
METHOD_STRENGTH = {"clear": 0, "purge": 1, "destroy": 2}


def erasure_summary(device) -> dict | None:
    """The device's erasure as one line (method, tool, date of its weakest medium: a failed one first, then the
    lowest NIST level) and `media`, each medium's latest erasure: a laptop with one drive purged and the other
    destroyed says both, so the donor can prove each drive's fate serial by serial."""
    erasures = list(device.erasures.all())
    if not erasures:
        return None
    latest_record = {erasure.media_serial: erasure for erasure in erasures}
    weakest = min(
        latest_record.values(),
        key=lambda record: (
            record.verified,
            METHOD_STRENGTH.get(record.method, -1),
            -record.performed_at.timestamp(),
        ),
    )
    latest = media_outcomes(erasures)
    state = erasure_state(device, latest)
    return {
        "count": len(latest),
        "state": state,
        "verified": state == "verified",
        "method": weakest.method,
        "method_label": weakest.get_method_display(),
        "tool": _tool(weakest),
        "date": weakest.performed_at,
        "media": [
            {
                "serial": record.media_serial,
                "method": record.method,
                "level": NIST_LEVEL.get(record.method, record.method),
                "tool": _tool(record),
                "date": record.performed_at,
                "verified": record.verified,
            }
            for record in latest_record.values()
        ],
    }


def _tool(record) -> str:
    return f"{record.tool} {record.tool_version}".strip()


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def media_cell(erasure: dict | None) -> str:
    """Every medium's latest erasure in one cell: « serial: standard level, tool, date, verified », « | » between."""
    if erasure is None:
        return ""
    return " | ".join(
        f"{medium['serial']}: {medium['level']}, {medium['tool']}, {_day(medium['date'])}, "
        + (_("vérifié") if medium["verified"] else _("échec"))
        for medium in erasure["media"]
    )


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
    # Each medium's latest erasure (media_cell): the columns above say the weakest one's.
    "effacement_supports",
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
                _day(erasure["date"]) if erasure else "",
                outcome["label"],
                outcome["department"],
                outcome["channel"],
                NIST_LEVEL.get(erasure["method"], erasure["method"]) if erasure else "",
                media_cell(erasure),
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
                "",
            )
        ]


def export_xlsx(lot) -> bytes:
    return xlsx_bytes(export_rows(lot), sheet="Devenir")
