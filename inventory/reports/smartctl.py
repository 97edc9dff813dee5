"""`smartctl --json` as smartmontools writes it (src/smartctl.cpp, src/json.cpp): a drive's identity and health,
and, when it read no drive, its own "messages"; the snapshot that gathers them is inventory/reports/snapshots.py."""

import json

from django.utils.translation import gettext as _

from inventory.reports.common import Medium, clean_serial, make_from_model, medium_kind
from reuse.units import to_gb


def json_documents(text: str) -> list:
    """One JSON document, a list of them, or several written one after the other."""
    decoder, position, documents = json.JSONDecoder(), 0, []
    text = text.strip()
    while position < len(text):
        document, end = decoder.raw_decode(text, position)
        documents.extend(document if isinstance(document, list) else [document])
        position = end
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
    return documents


def medium_from_smartctl(drive: dict) -> Medium | None:
    serial = clean_serial(drive.get("serial_number"))
    if not serial:
        return None
    model = drive.get("model_name") or " ".join(
        part
        for part in (
            drive.get("scsi_vendor") or drive.get("vendor"),
            drive.get("scsi_product") or drive.get("product"),
        )
        if part
    )
    capacity = (drive.get("user_capacity") or {}).get("bytes") or drive.get("nvme_total_capacity")
    device = drive.get("device") or {}
    return Medium(
        serial=serial,
        make=drive.get("scsi_vendor") or drive.get("vendor") or make_from_model(model),
        model=str(model or "")[:120],
        kind=medium_kind(
            model=str(model or ""),
            protocol=str(device.get("protocol", "")),
            rotation=drive.get("rotation_rate"),
            name=str(device.get("name", "")),
        ),
        capacity_gb=to_gb("storage_gb", capacity, "b") if capacity else None,
        smart_passed=health
        if isinstance(health := (drive.get("smart_status") or {}).get("passed"), bool)
        else None,
    )


def unread_reason(documents: list) -> str:
    """Why smartctl read no drive, from its own "messages" (severity "error"): a USB bridge it does not know needs
    its type named (smartmontools' FAQ: `-d sat`); otherwise its own words."""
    errors = [
        str(message.get("string") or "")
        for document in documents
        if isinstance(document, dict)
        for message in ((document.get("smartctl") or {}).get("messages") or [])
        if isinstance(message, dict) and message.get("severity") == "error"
    ]
    if any("USB bridge" in error for error in errors):
        return _(
            "smartctl n’a pas pu lire le disque derrière ce boîtier ou adaptateur USB (« %(message)s ») : "
            "relancez « smartctl -d sat -x --json » sur ce disque."
        ) % {"message": errors[0][:200]}
    if errors:
        return _("smartctl n’a lu aucun disque : « %(message)s ».") % {"message": errors[0][:200]}
    return _("Sortie de smartctl sans numéro de série de disque : lancez « smartctl -x --json ».")
