"""nwipe / ShredOS erasure reports: the log (`nwipe --logfile`) and the PDF certificate (nwipe 0.35+), as
described in inventory/reports/erasures.py."""

import io
import re

from django.utils.translation import gettext as _

from inventory.reports.common import ReportError, clean_serial, make_from_model, medium_kind
from inventory.reports.entries import Entry, Report, local_time

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


# --- nwipe log ----------------------------------------------------------------------------------------

LOG_TIME = r"\[(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})\]"


# nwipe opens its --logfile in append mode: a second run on the same bench adds a whole new session (its
# banner "nwipe 0.35", its drives, its own Drive Status table) below the first one.
SESSION_START = re.compile(r"^\[[^\]]*\]\s+info: nwipe \d+\.\d+", re.MULTILINE)

# The closing table's header: "! Device | Status | …" (0.30, 0.31, without the "Drive Status" title above it),
# "!   Device | Status | …" (0.32 and later).
STATUS_HEADER = re.compile(r"^!\s+Device \| Status \|", re.MULTILINE)

# What a drive's own lines say went wrong, whatever its Drive Status row says: nwipe 0.30 and 0.31 print
# " Erased " for a drive with verification errors (only 0.32+ fail it in the table), and every version logs
# "[FAILURE] /dev/sda has not been Zeroed", "… Verification errors, not empty", "… may not be blanked",
# "3 verification errors on '/dev/sda'." and "2 wipe errors on '/dev/sda'." (src/method.c).
DRIVE_FAILURES = re.compile(r"\[FAILURE\] (/dev/\S+)|\d+ (?:verification|wipe) errors on '(/dev/[^']+)'")


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
        if STATUS_HEADER.search(chunk):
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
    finished = local_time(closing.group(1), "%Y/%m/%d %H:%M:%S") if closing else None
    rounds = int(closing.group(3)) if closing else 1
    blank = closing.group(4) == "B" if closing else False
    verify = closing.group(5) if closing else ""
    status_rows = re.findall(r"^[! ]\s*(\S+) \|\s*([^|]+?)\s*\|[^|]*\|[^|]*\| (.*)$", text, re.MULTILINE)
    statuses = {
        _drive_name(name, found): (status.strip(), tail)
        for name, status, tail in status_rows
        if name != "Device"
    }
    failures = {
        (match.group(1) or match.group(2)).rsplit("/", 1)[-1] for match in DRIVE_FAILURES.finditer(text)
    }
    error_rows = re.findall(r"^[! ]\s*(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+(\d+)\s*$", text, re.MULTILINE)
    errors = {name: int(a) + int(b) + int(c) for name, a, b, c in error_rows}
    # nwipe 0.41+ "Erasure Summary": bytes erased against the drive's real size, hidden sectors (HPA/DCO)
    # included. Fewer bytes erased than the drive holds is nwipe's own "!" warning: the Drive Status may still
    # say "Erased" (the visible sectors were), but data may remain in the hidden area.
    erased_rows = re.findall(r"^[! ]\s*(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+\S+\s*$", text, re.MULTILINE)
    partial = {name for name, erased, total in erased_rows if int(erased) < int(total)}
    if not statuses:
        raise ReportError(
            _(
                "Journal nwipe incomplet : le tableau de fin d’effacement (« Device | Status ») est absent, "
                "l’effacement n’est peut-être pas terminé."
            )
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
        # "Verify Zeros (0x00)" and "Verify Ones (0xFF)" only read the drive: nothing was erased.
        erased = status == "Erased" and not method.lower().startswith("verify")
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
                and erased
                and name not in partial
                and name not in failures,
                succeeded=erased,
                finished=finished,
            )
        )
    return report


def _drive_name(name: str, found: dict) -> str:
    """The drive a status row names: nwipe 0.30 and 0.31 cut the name to its last 6 characters ("vme0n1" for
    nvme0n1), 0.32 and later write it whole."""
    if name in found:
        return name
    longer = [known for known in found if known.endswith(name)]
    return longer[0] if len(longer) == 1 else name


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


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return [page.extract_text() or "" for page in reader.pages[:50]]
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
    """One certificate per disk (nwipe writes one PDF per disk; several printed into one PDF are read each)."""
    pages = _pdf_pages(data)
    text = "\n".join(pages)
    if "NWIPE" not in text.upper() or "Make/Model:" not in text:
        raise ReportError(_("Ce PDF n’est pas un certificat d’effacement nwipe."))
    version = re.search(r"NWIPE version (\d+\.\d+(?:\.\d+)?)", text, re.IGNORECASE)
    report = Report(kind="nwipe-pdf", tool="nwipe", tool_version=version.group(1) if version else "")
    # Each certificate opens with its "Erasure Status" page; its SMART pages ("Page 2 - Smart Data") follow it.
    certificates = []
    for page in pages:
        if "Make/Model:" in page:
            certificates.append(page)
        elif certificates:
            certificates[-1] += "\n" + page
    hosts = set()
    for certificate in certificates:
        if len(re.findall(r"Make/Model:", certificate)) > 1:
            raise ReportError(
                _(
                    "Ce certificat nwipe décrit plusieurs disques sur une même page : importez le journal de nwipe."
                )
            )
        report.entries.append(_certificate_entry(certificate))
        hosts.add(clean_serial(_labelled(certificate, "System S/N:")))
    hosts.discard("")
    if len(hosts) > 1:
        raise ReportError(
            _(
                "Ce PDF réunit les certificats nwipe de plusieurs machines (numéros de série %(serials)s) : importez "
                "ceux de chaque machine séparément."
            )
            % {"serials": ", ".join(sorted(hosts))}
        )
    report.host_serial = hosts.pop() if hosts else ""
    return report


def _certificate_entry(text: str) -> Entry:
    serial = clean_serial(_labelled(text, "Serial:") or _labelled(text, "Disk S/N:"))
    if not serial:
        raise ReportError(_("Le certificat nwipe ne donne pas le numéro de série du disque."))
    model = _labelled(text, "Make/Model:")
    status = _labelled(text, "Status:").upper()
    method = _labelled(text, "Method:")
    method_name = re.sub(r"\s*\(.*\)$", "", method)
    # nwipe writes "Verify Last", "Verify All" or "Verify None" (src/create_pdf.c).
    verify = _labelled(text, "Verify Pass(Last/All/None):").lower().removeprefix("verify").strip()
    blank = _labelled(text, "Final Pass(Zeros/Ones/None):").lower()
    rounds = re.match(r"(\d+)/(\d+)", _labelled(text, "Rounds(completed/requested):"))
    count = NWIPE_PASSES.get(method_name.lower(), 0) * (int(rounds.group(1)) if rounds else 1) or None
    if count and blank and blank != "none":
        count += 1
    errors = re.findall(r"\d+", _labelled(text, "Errors(pass/sync/verify):"))
    # "*Bytes Erased: 500107862016, (99.99%)": nwipe never rounds a shortfall up to 100 (convert_double_to_string),
    # and writes "Not applicable to method" for the verify-only methods, which erase nothing.
    share = re.search(r"\((\d+(?:\.\d+)?)%\)", _labelled(text, "*Bytes Erased:"))
    erased = status.startswith("ERASED") and not method_name.lower().startswith("verify")
    # nwipe prints "ERASED" with "See Warning !" when the drive has a hidden area (HPA/DCO) it could not reach,
    # and says so under "Information:": the visible sectors were erased, the hidden ones were not.
    hidden_left = "hidden sectors NOT erased" in " ".join(text.split())
    return Entry(
        serial=serial,
        make=make_from_model(model),
        model=model,
        kind=medium_kind(model=model, protocol=_labelled(text, "Bus:")),
        capacity_gb=_size_gb(_labelled(text, "Size(Apparent):")),
        method=method_name,
        passes=count,
        verified=verify in ("last", "all")
        and erased
        and not any(int(e) for e in errors)
        and not hidden_left
        and (share is None or float(share.group(1)) >= 100),
        succeeded=erased,
        finished=local_time(_labelled(text, "End time:"), "%Y/%m/%d %H:%M:%S"),
    )
