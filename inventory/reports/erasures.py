"""Erasure reports as the tools write them, read into one entry per medium.

Formats (from each tool's public documentation and output):
- nwipe / ShredOS log (`nwipe --logfile`): "Found /dev/sda, ATA, <model>, <size>, S/N=<serial>", "Invoking
  method '<method>' on /dev/sda", the "Drive Status" table (Erased / -FAILED- / UABORTED) and the closing
  line "Total Throughput …, <method>, <rounds>R+<B|NB>+<NV|VL|VA>"; the host's "system-serial-number".
- nwipe PDF certificate (nwipe 0.35+, one page per disk): "Make/Model:", "Serial:", "Status:", "Method:",
  "Verify Pass(Last/All/None):", "Rounds(completed/requested):", "End time:", "System S/N:"; and nwipe 0.41+'s
  "System Erasure Report", every drive of a run in one PDF: see inventory/reports/nwipe_pdf.py.
- eReuse Workbench 11+ snapshot: erasure actions (EraseBasic, EraseSectors) on each drive, with their steps.
- Blancco Drive Eraser XML report (its erasures, each with its drive's serial): see inventory/reports/blancco.py.
- A JSON report stating, for each medium, its serial, the method, the passes, the verification and the
  result (and, when known, the NIST SP 800-88 level): see `parse_json_report`. Its level is its method's
  (`entries.level_of`): a stated level above it, or a destruction, sets the medium aside.

When neither the report nor its method tells the NIST SP 800-88 level, the technician chooses it at import.
"""

import json
import re

from django.utils.translation import gettext as _

from inventory.enums import ErasureMethod
from inventory.reports.blancco import is_blancco_xml, parse_blancco_xml
from inventory.reports.common import (
    UNKNOWN_FORMAT,
    UNPROVEN_OUTPUT,
    ReportError,
    clean_serial,
    decode_text,
    make_from_model,
    medium_kind,
    read_or_refuse,
    readable,
)
from inventory.reports.entries import OVERWRITE_LEVEL, Entry, Report, iso_time, level_of, no_serial
from inventory.reports.firmware import is_firmware_transcript, parse_firmware_transcript
from inventory.reports.nwipe import parse_nwipe_log
from inventory.reports.nwipe_pdf import parse_nwipe_pdf
from reuse import filekinds
from reuse.bounds import whole_number

SUCCESS_WORDS = ("success", "succeeded", "ok", "erased", "passed")
NIST_WORDS = {"clear": ErasureMethod.CLEAR, "purge": ErasureMethod.PURGE, "destroy": ErasureMethod.DESTROY}


# --- eReuse Workbench ------------------------------------------------------------------------------------


def parse_workbench(document: dict) -> Report:
    report = Report(
        kind="workbench", tool="eReuse Workbench", tool_version=str(document.get("version", ""))[:40]
    )
    report.host_serial = clean_serial((document.get("device") or {}).get("serialNumber"))
    for component in document.get("components") or []:
        # Workbench 11.0 names them "events", later releases "actions" (devicehub's test snapshots keep both).
        for action in component.get("actions") or component.get("events") or []:
            if action.get("type") not in ("EraseBasic", "EraseSectors"):
                continue
            serial = clean_serial(component.get("serialNumber"))
            steps = action.get("steps") or []
            # Workbench writes an erasure's steps (StepZero, StepRandom) and its end; devicehub reads a missing
            # severity as Info. An erasure with no step or no end erased nothing that can be shown.
            succeeded = (
                bool(steps)
                and bool(action.get("endTime"))
                and action.get("severity") in ("Info", None)
                and all(step.get("severity") in ("Info", None) for step in steps)
            )
            model = component.get("model") or ""
            size = re.match(r"^\s*(\d+(?:\.\d+)?)", str(component.get("size") or ""))
            size_mb = float(size.group(1)) if size else 0
            report.entries.append(
                Entry(
                    serial=serial,
                    make=component.get("manufacturer") or make_from_model(model),
                    model=model,
                    kind="ssd" if component.get("type") == "SolidStateDrive" else "hdd",
                    capacity_gb=round(size_mb / 1000) if size_mb else None,
                    method=action["type"],
                    passes=len(steps) or None,
                    # EraseSectors checks every sector after writing (badblocks); EraseBasic does not verify.
                    verified=succeeded and action["type"] == "EraseSectors",
                    succeeded=succeeded,
                    level=OVERWRITE_LEVEL,
                    finished=iso_time(action.get("endTime")),
                    unreadable="" if serial else no_serial(),
                )
            )
    if not report.entries:
        raise ReportError(_("Ce relevé eReuse Workbench ne contient aucun effacement de disque."))
    return report


# --- a JSON report stating what it did ---------------------------------------------------------------------


def parse_json_report(document: dict) -> Report:
    """{"tool": "...", "tool_version": "...", "host_serial": "...", "media": [{"serial": "...", "make": "...",
    "model": "...", "type": "hdd|ssd|nvme|emmc", "capacity_gb": 256, "method": "...", "nist_level":
    "clear|purge|destroy", "passes": 1, "verified": true, "result": "success|failed", "finished": ISO 8601}]}"""
    media = document.get("media") or document.get("erasures") or document.get("drives")
    if not isinstance(media, list) or not media:
        raise ReportError(_("Rapport JSON sans liste « media » des supports effacés."))
    report = Report(
        kind="json",
        tool=str(document.get("tool") or document.get("software") or "")[:100],
        tool_version=str(document.get("tool_version") or document.get("version") or "")[:40],
        host_serial=clean_serial(document.get("host_serial") or document.get("system_serial")),
    )
    if not report.tool:
        raise ReportError(_("Le rapport JSON ne dit pas quel outil a effacé (« tool »)."))
    for item in media:
        if not isinstance(item, dict):
            report.entries.append(Entry(serial="", unreadable=_("ce n’est pas un objet JSON")))
            continue
        serial = clean_serial(item.get("serial") or item.get("serial_number"))
        missing = [
            name
            for name, value in (
                ("method", item.get("method")),
                ("verified", item.get("verified")),
                ("result", item.get("result")),
            )
            if value in (None, "")
        ]
        method = str(item.get("method") or "")[:100]
        level, too_strong = level_of(
            method, NIST_WORDS.get(str(item.get("nist_level") or "").strip().lower(), "")
        )
        passes = item.get("passes")
        model = str(item.get("model") or "")[:120]
        report.entries.append(
            Entry(
                serial=serial,
                make=str(item.get("make") or make_from_model(model))[:80],
                model=model,
                kind=str(item.get("type") or medium_kind(model=model)),
                capacity_gb=whole_number(item.get("capacity_gb")),
                method=method,
                passes=int(passes) if isinstance(passes, int) and 1 <= passes <= 100 else None,
                verified=item.get("verified") is True,
                succeeded=str(item.get("result")).strip().lower() in SUCCESS_WORDS,
                failure=_("le rapport le dit « %(result)s »") % {"result": str(item.get("result"))[:40]}
                if str(item.get("result")).strip().lower() not in SUCCESS_WORDS
                else "",
                level=level,
                finished=iso_time(item.get("finished") or item.get("end_time")),
                unreadable=(_("il manque %(fields)s") % {"fields": ", ".join(missing)})
                if missing
                else too_strong
                if serial
                else no_serial(),
            )
        )
    return report


def is_sanitize_log_json(document) -> bool:
    """`nvme sanitize-log -o json` (nvme-cli's json_sanitize_log): {"nvme0": {"sprog": …, "sstat": {…}, …}}."""
    return isinstance(document, dict) and any(
        isinstance(value, dict) and "sstat" in value and "sprog" in value for value in document.values()
    )


# --- which one --------------------------------------------------------------------------------------------


def parse_erasure_report(data: bytes) -> Report:
    original, data = data, readable(data)
    kind = filekinds.sniff(data[: filekinds.HEAD_BYTES])
    if kind == "pdf":
        return parse_nwipe_pdf(data)
    if kind == "xml" and is_blancco_xml(data):
        # The XML parser reads the encoding its declaration names (a Windows export may say UTF-16).
        return parse_blancco_xml(original)
    if kind == "json":
        try:
            document = json.loads(decode_text(data))
        except ValueError as exc:
            raise ReportError(_("Fichier JSON illisible : il est peut-être tronqué.")) from exc
        if is_sanitize_log_json(document):
            raise ReportError(
                _(
                    "Sortie de « nvme sanitize-log -o json » : elle ne nomme pas le disque (ni numéro de série, ni "
                    "modèle). Enregistrez dans un même fichier texte la sortie de « nvme id-ctrl » du disque puis "
                    "celle de « nvme sanitize-log » sans « -o json »."
                ),
                code=UNPROVEN_OUTPUT,
            )
        if isinstance(document, dict) and document.get("type") == "Snapshot" and "components" in document:
            return read_or_refuse(parse_workbench, document, "eReuse Workbench")
        if isinstance(document, dict):
            return read_or_refuse(parse_json_report, document, "JSON")
        raise ReportError(_("Rapport JSON non reconnu : un objet avec une liste « media » est attendu."))
    if kind in ("log", "text", "csv"):
        text = decode_text(data)
        if "nwipe" in text.lower() or "Drive Status" in text:
            return parse_nwipe_log(text)
        if is_firmware_transcript(text):
            return parse_firmware_transcript(text)
    raise ReportError(
        _(
            "Rapport d’effacement non reconnu : ce fichier ressemble à %(what)s. Formats acceptés : journal ou "
            "certificat PDF de nwipe / ShredOS, rapport XML de Blancco Drive Eraser, relevé eReuse Workbench, "
            "rapport JSON, sortie de « hdparm --security-erase » ou de « nvme format » / « nvme sanitize-log »."
        )
        % {"what": filekinds.describe(kind)},
        code=UNKNOWN_FORMAT,
    )
