"""nwipe / ShredOS PDF certificates: the one-disk "Disk Erasure Report" (nwipe 0.35+, one PDF per disk) and the
"System Erasure Report" nwipe 0.41+ writes beside them, every drive of the run in one PDF
(src/create_system_multi_disc_pdf.c). Both say, for each drive, its serial, its status (ERASED, FAILED, ABORTED,
INSANITY), method, rounds, verification, errors and bytes erased; only ERASED, verified, without error nor warning
and with every byte erased is a verified erasure."""

import io
import re

from django.utils.translation import gettext as _

from inventory.reports.common import ReportError, clean_serial, make_from_model, medium_kind
from inventory.reports.entries import OVERWRITE_LEVEL, Entry, Report, local_time, no_serial
from inventory.reports.nwipe import NWIPE_PASSES, doubts, size_gb

# "Errors(pass/sync/verify/retries):" from 0.42, which counts the I/O retries too.
ERRORS_LABELS = ("Errors(pass/sync/verify):", "Errors(pass/sync/verify/retries):")
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
    *ERRORS_LABELS,
    "Information:",
    "Technician/Operator ID:",
    "Signature:",
    "Disc Erasure by NWIPE version",
    "Disk Model:",
    "Disk S/N:",
    "System S/N:",
    "Page ",
]


def _pdf_pages(data: bytes) -> list:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return list(reader.pages[:50])
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ReportError(_("Ce PDF est illisible ou endommagé.")) from exc


def _page_text(page, visitor=None) -> str:
    from pypdf.errors import PdfReadError

    try:
        return page.extract_text(visitor_text=visitor) or ""
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
    """One certificate per disk (several printed into one PDF are read each), or a run's system report."""
    pages = _pdf_pages(data)
    texts = [_page_text(page) for page in pages]
    text = "\n".join(texts)
    system = "System Erasure Report" in text and "Make/Model:" not in text
    if "NWIPE" not in text.upper() or not ("Make/Model:" in text or system):
        raise ReportError(_("Ce PDF n’est pas un certificat d’effacement nwipe."))
    version = re.search(r"NWIPE version (\d+\.\d+(?:\.\d+)?)", text, re.IGNORECASE)
    report = Report(kind="nwipe-pdf", tool="nwipe", tool_version=version.group(1) if version else "")
    if system:
        report.entries = [entry for page in pages for entry in _system_entries(page)]
        host = re.search(r"System Serial Number\s*=\s*(.*)", text)
        report.host_serial = clean_serial(host.group(1)) if host else ""
        if not report.entries:
            raise ReportError(_("Ce rapport système nwipe ne décrit aucun disque."))
        return report
    # Each certificate opens with its "Erasure Status" page; its SMART pages ("Page 2 - Smart Data") follow it.
    certificates = []
    for page in texts:
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
    def value(label):
        return _labelled(text, label)

    return _entry(
        value("Serial:") or value("Disk S/N:"),
        value("Make/Model:"),
        status=value("Status:"),
        method=value("Method:"),
        verify=value("Verify Pass(Last/All/None):"),
        blank=value("Final Pass(Zeros/Ones/None):"),
        rounds=value("Rounds(completed/requested):"),
        errors=value(ERRORS_LABELS[0]) or value(ERRORS_LABELS[1]),
        erased_bytes=value("*Bytes Erased:"),
        size=value("Size(Apparent):"),
        bus=value("Bus:"),
        end=value("End time:"),
        # nwipe prints "ERASED" with "See Warning !" when the drive has a hidden area (HPA/DCO) it could not
        # reach, and says so under "Information:": the visible sectors were erased, the hidden ones were not.
        warned="hidden sectors NOT erased" in " ".join(text.split()),
    )


def _entry(
    serial, model, *, status, method, verify, blank, rounds, errors, erased_bytes, size, bus, end, warned
):
    """One drive of a certificate or of a system report, from the texts nwipe wrote beside its labels."""
    serial = clean_serial(serial)
    method_name = re.sub(r"\s*\(.*\)$", "", method)
    # nwipe writes "Verify Last", "Verify All" or "Verify None" (0.35 to 0.37), then "Last", "All" or "None".
    verify = verify.lower().removeprefix("verify").strip()
    blank = blank.lower()
    rounds = re.match(r"(\d+)/(\d+)", rounds)
    count = NWIPE_PASSES.get(method_name.lower(), 0) * (int(rounds.group(1)) if rounds else 1) or None
    if count and blank and blank != "none":
        count += 1
    # "*Bytes Erased: 500107862016, (99.99%)": nwipe never rounds a shortfall up to 100 (convert_double_to_string),
    # and writes "Not applicable to method" for the verify-only methods, which erase nothing.
    share = re.search(r"\((\d+(?:\.\d+)?)%\)", erased_bytes)
    erased = status.upper().startswith("ERASED") and not method_name.lower().startswith("verify")
    # "pass/sync/verify" (and "/retries" from 0.42).
    counts = [int(number) for number in re.findall(r"\d+", errors)]
    written, sync, verify_errors, retries = (counts + [0, 0, 0, 0])[:4]
    short = share is not None and float(share.group(1)) < 100
    return Entry(
        serial=serial,
        make=make_from_model(model),
        model=model,
        kind=medium_kind(model=model, protocol=bus),
        capacity_gb=size_gb(size),
        method=method_name,
        passes=count,
        verified=verify in ("last", "all") and erased and not any(counts) and not warned and not short,
        succeeded=erased,
        failure=doubts(
            status=status.split()[0] if status.split() else "",
            method=method_name,
            verify_pass=verify in ("last", "all"),
            pass_errors=written + sync,
            verify_errors=verify_errors,
            retries=retries,
            not_reached=_("%(share)s %% du disque effacé seulement") % {"share": share.group(1)}
            if short
            else _("zone cachée (HPA/DCO) non effacée")
            if warned
            else "",
        ),
        level=OVERWRITE_LEVEL,
        finished=local_time(end, "%Y/%m/%d %H:%M:%S"),
        unreadable="" if serial else no_serial(),
    )


# --- the system report (0.41+) ------------------------------------------------------------------------------

# Its drive blocks: nine lines 10 points apart, from "Make:" down to "Rounds(completed/requested):", the status
# written turned a quarter at the block's left, 60 points below its first line.
BLOCK_DEPTH = 85
SYSTEM_LABELS = {
    "Make:",
    "S/N:",
    "Size(Apparent):",
    "Size(Real):",
    "Start time:",
    "End time:",
    "Duration:",
    *ERRORS_LABELS,
    "*Bytes Erased:",
    "Throughput:",
    "Method:",
    "PRNG algorithm:",
    "Blanking Pass:",
    "Verify(Last/All/None):",
    "HPA/DCO:",
    "HPA/DCO Size:",
    "Rounds(completed/requested):",
}


def _fragments(page) -> list[tuple[float, float, str, bool]]:
    """Each text nwipe drew on the page: (x, y, text, turned), `turned` for the statuses drawn upwards."""
    found = []

    def visit(text, cm, tm, _font, _size):
        text = " ".join(text.split())
        if text:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text, abs(tm[0] * cm[1] + tm[1] * cm[3]) > 0.5))

    _page_text(page, visit)
    return found


def _system_entries(page) -> list[Entry]:
    fragments = _fragments(page)
    tops = sorted({y for _x, y, text, turned in fragments if text == "Make:" and not turned}, reverse=True)
    entries = []
    for top in tops:
        block = [fragment for fragment in fragments if top - BLOCK_DEPTH < fragment[1] <= top + 2]
        values, label = {}, None
        for _x, _y, text, _turned in sorted(
            (fragment for fragment in block if not fragment[3]), key=lambda f: (-round(f[1]), f[0])
        ):
            if text in SYSTEM_LABELS:
                label = text
                values[label] = ""
            elif label is not None:
                values[label] = f"{values[label]} {text}".strip()
        statuses = [text for _x, _y, text, turned in block if turned]
        entry = _entry(
            values.get("S/N:", ""),
            values.get("Make:", ""),
            status=statuses[0] if len(statuses) == 1 else "",
            method=values.get("Method:", ""),
            verify=values.get("Verify(Last/All/None):", ""),
            blank=values.get("Blanking Pass:", ""),
            rounds=values.get("Rounds(completed/requested):", ""),
            errors=values.get(ERRORS_LABELS[0]) or values.get(ERRORS_LABELS[1], ""),
            erased_bytes=values.get("*Bytes Erased:", ""),
            size=values.get("Size(Apparent):", ""),
            bus="",
            end=values.get("End time:", ""),
            # Beside an ERASED drive whose hidden area (HPA/DCO) was found or could not be checked.
            warned=any(text == "See Warning !" for _x, _y, text, _turned in block),
        )
        if len(statuses) != 1 and not entry.unreadable:
            entry.unreadable = _("le rapport ne donne pas son état d’effacement")
        entries.append(entry)
    return entries
