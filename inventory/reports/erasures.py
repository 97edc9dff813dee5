"""Erasure reports as the tools write them, read into one entry per medium.

Formats (from each tool's public documentation and output):
- nwipe / ShredOS log (`nwipe --logfile`): "Found /dev/sda, ATA, <model>, <size>, S/N=<serial>", "Invoking
  method '<method>' on /dev/sda", the "Drive Status" table (Erased / -FAILED- / UABORTED) and the closing
  line "Total Throughput …, <method>, <rounds>R+<B|NB>+<NV|VL|VA>"; the host's "system-serial-number".
- nwipe PDF certificate (nwipe 0.35+, one page per disk): "Make/Model:", "Serial:", "Status:", "Method:",
  "Verify Pass(Last/All/None):", "Rounds(completed/requested):", "End time:", "System S/N:".
- eReuse Workbench 11+ snapshot: erasure actions (EraseBasic, EraseSectors) on each drive, with their steps.
- A JSON report stating, for each medium, its serial, the method, the passes, the verification and the
  result (and, when known, the NIST SP 800-88 level): see `parse_json_report`.

When a report does not state the NIST SP 800-88 level, the technician chooses it at import.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.enums import ErasureMethod
from inventory.reports import common
from inventory.reports.common import ReportError, clean_serial, decode_text, make_from_model, medium_kind
from reuse import filekinds
from reuse.bounds import whole_number

# Passes of each nwipe method (one round, without the final blanking pass).
NWIPE_PASSES = {
    "dod 5220.22-m": 7,
    "dod short": 3,
    "gutmann wipe": 35,
    "rcmp tssit ops-ii": 8,
    "prng stream": 1,
    "fill with zeros": 1,
    "fill with ones": 1,
    "hmg is5 enhanced": 3,
    "bruce schneier 7-pass": 7,
}
NIST_WORDS = {"clear": ErasureMethod.CLEAR, "purge": ErasureMethod.PURGE, "destroy": ErasureMethod.DESTROY}


@dataclass
class Entry(common.Medium):
    """One medium of a report, and what was done to it."""

    method: str = ""
    passes: int | None = None
    verified: bool = False
    succeeded: bool = False
    level: str = ""
    finished: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.succeeded and self.verified


@dataclass
class Report:
    kind: str
    tool: str
    tool_version: str = ""
    host_serial: str = ""
    entries: list[Entry] = field(default_factory=list)


def _local(text: str, pattern: str) -> datetime | None:
    try:
        return timezone.make_aware(datetime.strptime(text.strip(), pattern))
    except (ValueError, TypeError):
        return None


# --- nwipe log ----------------------------------------------------------------------------------------

LOG_TIME = r"\[(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})\]"


# nwipe opens its --logfile in append mode: a second run on the same bench adds a whole new session (its
# banner "nwipe 0.35", its drives, its own Drive Status table) below the first one.
SESSION_START = re.compile(r"^\[[^\]]*\]\s+info: nwipe \d+\.\d+", re.MULTILINE)


def parse_nwipe_log(text: str) -> Report:
    """Every session of the log, read on its own: /dev/sda of one run may be another disk in the next one, and
    each run has its own method and verification. A disk wiped in several runs keeps its latest result."""
    starts = [match.start() for match in SESSION_START.finditer(text)]
    if len(starts) < 2:
        return _parse_nwipe_session(text)
    sessions = []
    # What comes before the first banner belongs to the first session (a log whose head was cut off).
    for start, end in zip([0, *starts[1:]], [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        if "Drive Status" in chunk:
            sessions.append(_parse_nwipe_session(chunk))
    if not sessions:
        return _parse_nwipe_session(text)
    hosts = sorted({session.host_serial for session in sessions if session.host_serial})
    if len(hosts) > 1:
        raise ReportError(
            _(
                "Ce journal nwipe couvre plusieurs machines (numéros de série %(serials)s) : importez le journal de "
                "chaque machine séparément."
            )
            % {"serials": ", ".join(hosts)}
        )
    report = Report(
        kind="nwipe-log",
        tool="nwipe",
        tool_version=sessions[-1].tool_version,
        host_serial=hosts[0] if hosts else "",
    )
    latest = {}
    for session in sessions:
        for entry in session.entries:
            latest[entry.serial.casefold()] = entry
    report.entries = list(latest.values())
    return report


def _parse_nwipe_session(text: str) -> Report:
    report = Report(kind="nwipe-log", tool="nwipe")
    version = re.search(r"\bnwipe (\d+\.\d+(?:\.\d+)?)", text)
    report.tool_version = version.group(1) if version else ""
    host = re.search(r"system-serial-number\s*=\s*(.+)", text)
    report.host_serial = clean_serial(host.group(1)) if host else ""
    found = {}
    for match in re.finditer(r"Found (/dev/\S+?), ([^,]*), (.*?), ([^,]*), S/N=(.*)$", text, re.MULTILINE):
        name = match.group(1).rsplit("/", 1)[-1]
        found[name] = {
            "bus": match.group(2).strip(),
            "model": match.group(3).strip(),
            "size": match.group(4).strip(),
            "serial": clean_serial(match.group(5)),
        }
    methods = {
        match.group(2).rsplit("/", 1)[-1]: match.group(1)
        for match in re.finditer(r"Invoking method '([^']+)' on (/dev/\S+)", text)
    }
    passes = {}
    for match in re.finditer(r"Finished pass \d+/(\d+), round \d+/(\d+), on (/dev/\S+)", text):
        passes[match.group(3).rsplit("/", 1)[-1]] = int(match.group(1)) * int(match.group(2))
    closing = re.search(LOG_TIME + r" Total Throughput [^,]*, (.+?), (\d+)R\+(N?B)\+(NV|VL|VA)", text)
    finished = _local(closing.group(1), "%Y/%m/%d %H:%M:%S") if closing else None
    rounds = int(closing.group(3)) if closing else 1
    blank = closing.group(4) == "B" if closing else False
    verify = closing.group(5) if closing else ""
    status_rows = re.findall(r"^[! ]\s*(\S+) \|\s*([^|]+?)\s*\|[^|]*\|[^|]*\| (.*)$", text, re.MULTILINE)
    statuses = {name: (status.strip(), tail) for name, status, tail in status_rows if name != "Device"}
    error_rows = re.findall(r"^[! ]\s*(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+(\d+)\s*$", text, re.MULTILINE)
    errors = {name: int(a) + int(b) + int(c) for name, a, b, c in error_rows}
    # nwipe 0.36+ "Erasure Summary": bytes erased against the drive's real size, hidden sectors (HPA/DCO)
    # included. Fewer bytes erased than the drive holds is nwipe's own "!" warning: the Drive Status may still
    # say "Erased" (the visible sectors were), but data may remain in the hidden area.
    erased_rows = re.findall(r"^[! ]\s*(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+\S+\s*$", text, re.MULTILINE)
    partial = {name for name, erased, total in erased_rows if int(erased) < int(total)}
    if not statuses:
        raise ReportError(
            _("Journal nwipe incomplet : le tableau « Drive Status » de fin d’effacement est absent.")
        )
    for name, (status, tail) in statuses.items():
        info = found.get(name, {})
        serial = info.get("serial") or clean_serial(tail.rsplit("/", 1)[-1] if "/" in tail else "")
        if not serial:
            raise ReportError(
                _("Le journal nwipe ne donne pas le numéro de série du disque %(name)s.") % {"name": name}
            )
        model = info.get("model") or tail.rsplit("/", 1)[0].strip()
        method = methods.get(name) or (closing.group(2) if closing else "")
        count = passes.get(name) or NWIPE_PASSES.get(method.lower(), 0) * rounds or None
        if count and blank:
            count += 1
        report.entries.append(
            Entry(
                serial=serial,
                make=make_from_model(model),
                model=model,
                kind=medium_kind(model=model, protocol=info.get("bus", ""), name=name),
                capacity_gb=_size_gb(info.get("size", "")),
                method=method,
                passes=count,
                verified=verify in ("VL", "VA")
                and errors.get(name, 0) == 0
                and status == "Erased"
                and name not in partial,
                succeeded=status == "Erased",
                finished=finished,
            )
        )
    return report


def _size_gb(text: str) -> int | None:
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(TB|GB|MB)", text or "")
    if not match:
        return None
    value = float(match.group(1)) * {"TB": 1000, "GB": 1, "MB": 0.001}[match.group(2)]
    return round(value)


# --- nwipe PDF certificate ------------------------------------------------------------------------------

PDF_LABELS = [
    "Business Name:",
    "Business Address:",
    "Contact Name:",
    "Contact Phone:",
    "Customer Details",
    "Disk Information",
    "Make/Model:",
    "Serial:",
    "Bus:",
    "Size(Apparent):",
    "Size(Real):",
    "Disk Erasure Details",
    "Start time:",
    "End time:",
    "Duration:",
    "Status:",
    "See Warning !",
    "Method:",
    "PRNG algorithm:",
    "Final Pass(Zeros/Ones/None):",
    "Verify Pass(Last/All/None):",
    "*Bytes Erased:",
    "Rounds(completed/requested):",
    "HPA/DCO:",
    "HPA/DCO Size:",
    "Throughput:",
    "Errors(pass/sync/verify):",
    "Information:",
    "Technician/Operator ID:",
    "Signature:",
    "Disc Erasure by NWIPE version",
    "Disk Model:",
    "Disk S/N:",
    "System S/N:",
    "Page ",
]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages[:50])
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ReportError(_("Ce PDF est illisible ou endommagé.")) from exc


def _labelled(text: str, label: str) -> str:
    flat = " ".join(text.split())
    start = flat.find(label)
    if start < 0:
        return ""
    rest = flat[start + len(label) :]
    end = min((position for other in PDF_LABELS if (position := rest.find(other)) >= 0), default=len(rest))
    return rest[:end].strip()


def parse_nwipe_pdf(data: bytes) -> Report:
    text = _pdf_text(data)
    if "NWIPE" not in text.upper() or "Make/Model:" not in text:
        raise ReportError(_("Ce PDF n’est pas un certificat d’effacement nwipe."))
    version = re.search(r"NWIPE version (\d+\.\d+(?:\.\d+)?)", text, re.IGNORECASE)
    report = Report(kind="nwipe-pdf", tool="nwipe", tool_version=version.group(1) if version else "")
    report.host_serial = clean_serial(_labelled(text, "System S/N:"))
    serial = clean_serial(_labelled(text, "Serial:") or _labelled(text, "Disk S/N:"))
    if not serial:
        raise ReportError(_("Le certificat nwipe ne donne pas le numéro de série du disque."))
    model = _labelled(text, "Make/Model:")
    status = _labelled(text, "Status:").upper()
    method = _labelled(text, "Method:")
    method_name = re.sub(r"\s*\(.*\)$", "", method)
    verify = _labelled(text, "Verify Pass(Last/All/None):").lower()
    blank = _labelled(text, "Final Pass(Zeros/Ones/None):").lower()
    rounds = re.match(r"(\d+)/(\d+)", _labelled(text, "Rounds(completed/requested):"))
    count = NWIPE_PASSES.get(method_name.lower(), 0) * (int(rounds.group(1)) if rounds else 1) or None
    if count and blank and blank != "none":
        count += 1
    errors = re.findall(r"\d+", _labelled(text, "Errors(pass/sync/verify):"))
    # nwipe prints "ERASED" with "See Warning !" when the drive has a hidden area (HPA/DCO) it could not reach,
    # and says so under "Information:": the visible sectors were erased, the hidden ones were not.
    hidden_left = "hidden sectors NOT erased" in " ".join(text.split())
    report.entries.append(
        Entry(
            serial=serial,
            make=make_from_model(model),
            model=model,
            kind=medium_kind(model=model, protocol=_labelled(text, "Bus:")),
            capacity_gb=_size_gb(_labelled(text, "Size(Apparent):")),
            method=method_name,
            passes=count,
            verified=verify in ("last", "all")
            and status.startswith("ERASED")
            and not any(int(e) for e in errors)
            and not hidden_left,
            succeeded=status.startswith("ERASED"),
            finished=_local(_labelled(text, "End time:"), "%Y/%m/%d %H:%M:%S"),
        )
    )
    return report


# --- eReuse Workbench ------------------------------------------------------------------------------------


def parse_workbench(document: dict) -> Report:
    report = Report(
        kind="workbench", tool="eReuse Workbench", tool_version=str(document.get("version", ""))[:40]
    )
    report.host_serial = clean_serial((document.get("device") or {}).get("serialNumber"))
    for component in document.get("components") or []:
        for action in component.get("actions") or []:
            if action.get("type") not in ("EraseBasic", "EraseSectors"):
                continue
            serial = clean_serial(component.get("serialNumber"))
            if not serial:
                continue
            steps = action.get("steps") or []
            succeeded = action.get("severity") in ("Info", None) and all(
                step.get("severity") in ("Info", None) for step in steps
            )
            model = component.get("model") or ""
            size_mb = float(re.match(r"^\s*(\d+(?:\.\d+)?)", str(component.get("size") or "0")).group(1))
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
                    finished=_iso(action.get("endTime")),
                )
            )
    if not report.entries:
        raise ReportError(_("Ce relevé eReuse Workbench ne contient aucun effacement de disque."))
    return report


def _iso(text) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


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
    for position, item in enumerate(media, start=1):
        if not isinstance(item, dict):
            raise ReportError(_("Support n° %(n)s du rapport illisible.") % {"n": position})
        serial = clean_serial(item.get("serial") or item.get("serial_number"))
        missing = [
            name
            for name, value in (
                ("serial", serial),
                ("method", item.get("method")),
                ("verified", item.get("verified")),
                ("result", item.get("result")),
            )
            if value in (None, "")
        ]
        if missing:
            raise ReportError(
                _("Support n° %(n)s du rapport : il manque %(fields)s.")
                % {"n": position, "fields": ", ".join(missing)}
            )
        level = NIST_WORDS.get(str(item.get("nist_level") or "").strip().lower(), "")
        passes = item.get("passes")
        model = str(item.get("model") or "")[:120]
        report.entries.append(
            Entry(
                serial=serial,
                make=str(item.get("make") or make_from_model(model))[:80],
                model=model,
                kind=str(item.get("type") or medium_kind(model=model)),
                capacity_gb=whole_number(item.get("capacity_gb")),
                method=str(item["method"])[:100],
                passes=int(passes) if isinstance(passes, int) and 1 <= passes <= 100 else None,
                verified=item.get("verified") is True,
                succeeded=str(item.get("result")).strip().lower()
                in ("success", "succeeded", "ok", "erased", "passed"),
                level=level,
                finished=_iso(item.get("finished") or item.get("end_time")),
            )
        )
    return report


# --- which one --------------------------------------------------------------------------------------------


def parse_erasure_report(data: bytes) -> Report:
    kind = filekinds.sniff(data[: filekinds.HEAD_BYTES])
    if kind == "pdf":
        return parse_nwipe_pdf(data)
    if kind == "json":
        try:
            document = json.loads(decode_text(data))
        except ValueError as exc:
            raise ReportError(_("Fichier JSON illisible : il est peut-être tronqué.")) from exc
        if isinstance(document, dict) and document.get("type") == "Snapshot" and "components" in document:
            return parse_workbench(document)
        if isinstance(document, dict):
            return parse_json_report(document)
        raise ReportError(_("Rapport JSON non reconnu : un objet avec une liste « media » est attendu."))
    if kind in ("log", "text", "csv"):
        text = decode_text(data)
        if "nwipe" in text.lower() or "Drive Status" in text:
            return parse_nwipe_log(text)
    raise ReportError(
        _(
            "Rapport d’effacement non reconnu : ce fichier ressemble à %(what)s. Formats acceptés : journal ou "
            "certificat PDF de nwipe / ShredOS, relevé eReuse Workbench, rapport JSON."
        )
        % {"what": filekinds.describe(kind)}
    )
