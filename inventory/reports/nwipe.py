"""nwipe / ShredOS erasure reports: the log (`nwipe --logfile`), as described in inventory/reports/erasures.py; its
PDF certificates are read by inventory/reports/nwipe_pdf.py."""

import re

from django.utils.translation import gettext as _

from inventory.reports.common import (
    Medium,
    ReportError,
    clean_serial,
    make_from_model,
    medium_kind,
    same_serial,
)
from inventory.reports.entries import OVERWRITE_LEVEL, Entry, Report, local_time, no_serial

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


# nwipe 0.28 and earlier begin each line with "nwipe: " after the time (src/logging.c), log no version and write no
# closing table; 0.30 dropped the prefix and added both.
OLD_LOG = re.compile(r"^\[[^\]]*\] nwipe: (?:info|notice|warning|error|fatal|debug|sanity): ", re.MULTILINE)


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
# Their counts, for 0.30 and 0.31, which write no "Error Summary" table.
ERROR_COUNTS = re.compile(r"(\d+) (verification|wipe) errors on '(/dev/[^']+)'")


def doubts(
    *,
    status: str,
    method: str,
    verify_pass: bool,
    pass_errors: int = 0,
    verify_errors: int = 0,
    data_left: bool = False,
    retries: int = 0,
    not_reached: str = "",
) -> str:
    """Why nwipe's log or certificate does not prove a drive erased, in its own terms ("" when it does). Shared by
    the log (statuses "-FAILED-", "UABORTED", "INSANITY") and the certificates ("FAILED", "ABORTED", "INSANITY")."""
    reasons = []
    word = status.strip().strip("-").upper().removeprefix("U")
    if method.lower().startswith("verify"):
        reasons.append(_("la méthode « %(method)s » relit le disque sans rien effacer") % {"method": method})
    elif word == "FAILED":
        reasons.append(_("nwipe le dit en échec (« %(status)s »)") % {"status": status.strip()})
    elif word == "ABORTED":
        reasons.append(
            _("effacement interrompu par l’opérateur avant la fin (« %(status)s »)")
            % {"status": status.strip()}
        )
    elif word == "INSANITY":
        reasons.append(_("nwipe a arrêté l’effacement sur une incohérence (« INSANITY »)"))
    elif word != "ERASED":
        reasons.append(_("nwipe ne le dit pas effacé (« %(status)s »)") % {"status": status.strip() or "?"})
    if verify_errors:
        reasons.append(
            _("%(n)s erreur(s) de vérification : des données restent sur le disque") % {"n": verify_errors}
        )
    elif data_left:
        reasons.append(_("la vérification a trouvé des données restantes (« [FAILURE] »)"))
    if pass_errors:
        reasons.append(_("%(n)s erreur(s) d’écriture") % {"n": pass_errors})
    if retries:
        # nwipe 0.42's I/O retries: commands it had to repeat on the drive, a doubt on what was written.
        reasons.append(_("%(n)s nouvelle(s) tentative(s) d’entrée-sortie sur le disque") % {"n": retries})
    if not_reached:
        reasons.append(not_reached)
    if not verify_pass and not reasons:
        reasons.append(_("aucune passe de vérification (nwipe lancé sans vérification)"))
    return ", ".join(reasons)


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
    for number, session in enumerate(sessions):
        for position, entry in enumerate(session.entries):
            # A drive without a serial cannot be told from one of another run: each is named on its own.
            latest[entry.serial.casefold() or (number, position)] = entry
    report.entries = list(latest.values())
    # A drive left out of one run and wiped in another is not left out.
    wiped = [entry.serial for entry in report.entries]
    report.unerased = list(
        {
            medium.serial.casefold(): medium
            for session in sessions
            for medium in session.unerased
            if not any(same_serial(medium.serial, serial) for serial in wiped)
        }.values()
    )
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
    # "Error Summary" (0.32+): pass, verification and fdatasync errors of each drive.
    error_rows = re.findall(r"^[! ]\s*(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+(\d+)\s*$", text, re.MULTILINE)
    errors = {_drive_name(name, found): (int(a) + int(c), int(b)) for name, a, b, c in error_rows}
    summarised = set(errors)
    for count, kind, device in ERROR_COUNTS.findall(text):
        name = device.rsplit("/", 1)[-1]
        if name not in summarised:
            written, verify = errors.get(name, (0, 0))
            errors[name] = (
                (written + int(count), verify) if kind == "wipe" else (written, verify + int(count))
            )
    # nwipe 0.41+ "Erasure Summary": bytes erased against the drive's real size, hidden sectors (HPA/DCO)
    # included. Fewer bytes erased than the drive holds is nwipe's own "!" warning: the Drive Status may still
    # say "Erased" (the visible sectors were), but data may remain in the hidden area.
    # Its last column is a percentage: the "Error Summary" rows above it, three counts, are not read as bytes.
    erased_rows = re.findall(r"^[! ]\s*(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+[\d.]+%\s*$", text, re.MULTILINE)
    partial = {
        _drive_name(name, found): (erased, total)
        for name, erased, total in erased_rows
        if int(erased) < int(total)
    }
    if not statuses and OLD_LOG.search(text):
        raise ReportError(
            _(
                "Journal d’un nwipe antérieur à la version 0.30 (une ancienne clé ShredOS) : il ne donne ni sa "
                "version ni de tableau de fin d’effacement, il ne peut donc pas prouver un effacement. Relancez "
                "l’effacement avec un ShredOS récent, ou enregistrez-le à la main sur la page de l’appareil."
            )
        )
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
        model = info.get("model") or tail.rsplit("/", 1)[0].strip()
        method = methods.get(name) or (closing.group(2) if closing else "")
        count = passes.get(name) or NWIPE_PASSES.get(method.lower(), 0) * rounds or None
        if count and blank:
            count += 1
        # "Verify Zeros (0x00)" and "Verify Ones (0xFF)" only read the drive: nothing was erased.
        erased = status == "Erased" and not method.lower().startswith("verify")
        written, verify_errors = errors.get(name, (0, 0))
        report.entries.append(
            Entry(
                serial=serial,
                make=make_from_model(model),
                model=model,
                kind=medium_kind(model=model, protocol=info.get("bus", ""), name=name),
                capacity_gb=size_gb(info.get("size", "")),
                method=method,
                passes=count,
                verified=verify in ("VL", "VA")
                and not written
                and not verify_errors
                and erased
                and name not in partial
                and name not in failures,
                succeeded=erased,
                failure=doubts(
                    status=status,
                    method=method,
                    verify_pass=verify in ("VL", "VA"),
                    pass_errors=written,
                    verify_errors=verify_errors,
                    data_left=name in failures,
                    not_reached=_(
                        "%(erased)s octets effacés sur %(total)s : la zone cachée (HPA/DCO) ne l’a pas été"
                    )
                    % dict(zip(("erased", "total"), partial[name], strict=True))
                    if name in partial
                    else "",
                ),
                level=OVERWRITE_LEVEL,
                finished=finished,
                unreadable="" if serial else no_serial(),
            )
        )
    report.unerased = [
        Medium(
            serial=info["serial"],
            make=make_from_model(info["model"]),
            model=info["model"],
            kind=medium_kind(model=info["model"], protocol=info["bus"], name=name),
            capacity_gb=size_gb(info["size"]),
        )
        for name, info in found.items()
        # Found at enumeration, but not selected: no method ran on it. A USB drive is the stick ShredOS booted
        # from or one plugged in to save the log, not a drive of the machine.
        if name not in statuses and info["serial"] and info["bus"].upper() != "USB"
    ]
    return report


def _drive_name(name: str, found: dict) -> str:
    """The drive a status row names: nwipe 0.30 and 0.31 cut the name to its last 6 characters ("vme0n1" for
    nvme0n1), 0.32 and later write it whole."""
    if name in found:
        return name
    longer = [known for known in found if known.endswith(name)]
    return longer[0] if len(longer) == 1 else name


def size_gb(text: str) -> int | None:
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(TB|GB|MB)", text or "")
    if not match:
        return None
    value = float(match.group(1)) * {"TB": 1000, "GB": 1, "MB": 0.001}[match.group(2)]
    return round(value)
