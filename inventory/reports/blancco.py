"""Blancco Drive Eraser's XML report, as the erasure station saves it or Blancco Management Console exports it.

Layout (read by the integrations that consume these reports: « root/report/blancco_data », with
« blancco_erasure_report/entries[@name=erasures]/entries[@name=erasure] » holding an « entry » per field: state,
erasure_standard_name, start_time, end_time, overwriting_rounds, total_erasure_rounds, and « entries[@name=target] »
for the drive: serial, vendor, model, type, capacity in bytes; « blancco_hardware_report/entries[@name=system] »
for the machine: manufacturer, model, serial, and « entries[@name=disks] » with an « entries[@name=disk] » per drive
of the machine; the product name and version in « description »). A drive of the machine that no erasure targets
(left out of the run) is returned in `Report.unerased`: it still holds data.

An erasure whose state is « Successful » passed its verification: Blancco Drive Eraser reads back a sample of the
drive (1 % at least, up to 100 %) after each step and reports the erasure failed when a pattern is missing
(Blancco's knowledge base, « erasure verification »). Any other state is a failed erasure. An erasure that lists
failed sectors (« failed_sectors », « total_errors ») or remapped sectors without a firmware round
(« remapped_sectors », « firmware_rounds » 0) is recorded as not verified: data may remain where no pass wrote.
The NIST SP 800-88 level is read from the standard's name (« NIST 800-88 Purge », « NIST 800-88 Clear »), a Purge
only when the report counts the firmware round that reaches it (« firmware_rounds » 1 or more); another
standard run as overwriting rounds only (« firmware_rounds » 0) is Clear; for the others (a firmware or
cryptographic erasure) the technician chooses it at import.
"""

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from inventory.enums import ErasureMethod, StorageMedium
from inventory.reports.common import (
    Medium,
    ReportError,
    clean_serial,
    make_from_model,
    medium_kind,
    same_serial,
)
from inventory.reports.entries import OVERWRITE_LEVEL, Entry, Report, iso_time, no_serial
from reuse.bounds import whole_number

TOOL = "Blancco Drive Eraser"


def is_blancco_xml(data: bytes) -> bool:
    return b"<blancco_data" in data[:20_000]


def _group(element, name: str):
    """The child « entries » group named `name`, or None."""
    return next((child for child in element if child.tag == "entries" and child.get("name") == name), None)


def _groups(element, name: str) -> list:
    return [child for child in element if child.tag == "entries" and child.get("name") == name]


def _value(element, name: str) -> str:
    """The text of the child « entry » named `name` ("" when there is none)."""
    if element is None:
        return ""
    for child in element:
        if child.tag == "entry" and child.get("name") == name:
            return " ".join((child.text or "").split())
    return ""


def _described(blancco_data, name: str) -> str:
    """A field of the report's description (product name and version), whichever way it is written."""
    description = blancco_data.find("description")
    if description is None:
        return ""
    for element in description.iter():
        if element.tag == name or (element.tag == "entry" and element.get("name") == name):
            return " ".join((element.text or "").split())
    return ""


def _count(element, name: str) -> int:
    return whole_number(_value(element, name)) or 0


def _level(standard: str) -> str:
    lowered = standard.lower()
    if "800-88" not in lowered:
        return ""
    for word, level in (("purge", ErasureMethod.PURGE), ("clear", ErasureMethod.CLEAR)):
        if word in lowered:
            return level
    return ""


def _drive(group) -> tuple[Medium, bool]:
    """The drive an erasure's « target » or the hardware report's « disk » describes, and whether it is on USB."""
    serial = clean_serial(_value(group, "serial"))
    model = _value(group, "model")[:120]
    kind_text = f"{_value(group, 'type')} {_value(group, 'interface_type')}".lower()
    capacity = whole_number(_value(group, "capacity"), max_digits=16)
    medium = Medium(
        serial=serial,
        make=(_value(group, "vendor") or make_from_model(model))[:80],
        model=model,
        kind=medium_kind(model=model, protocol=kind_text)
        or (StorageMedium.HDD if "hdd" in kind_text else ""),
        capacity_gb=round(capacity / 1_000_000_000) if capacity else None,
    )
    return medium, "usb" in kind_text


def _entry(erasure) -> Entry:
    target = _group(erasure, "target")
    drive, _usb = _drive(target)
    serial = drive.serial
    rounds = whole_number(_value(erasure, "total_erasure_rounds") or _value(erasure, "overwriting_rounds"))
    standard = _value(erasure, "erasure_standard_name")[:100]
    succeeded = _value(erasure, "state").casefold() == "successful"
    # Sectors the erasure could not overwrite, and sectors the drive retired (remapped) with whatever they held:
    # only a firmware erasure round reaches the retired ones, an overwrite does not.
    failed = _count(erasure, "failed_sectors") or _count(erasure, "total_errors")
    remapped = _count(erasure, "remapped_sectors") or _count(target, "remapped_sectors")
    firmware = _count(erasure, "firmware_rounds")
    # A standard that names no NIST level (« HMG Infosec Standard 5 », « DoD 5220.22-M »…) run as overwriting
    # rounds only (the report counts its firmware rounds: none) is an overwrite, Clear whatever the technician picks.
    overwritten = _count(erasure, "overwriting_rounds")
    overwrite_only = _value(erasure, "firmware_rounds") != "" and not firmware and overwritten
    level = _level(standard)
    if level == ErasureMethod.PURGE and not firmware:
        # Purge is the drive's own command (Secure Erase, Sanitize, a cryptographic erase), which Blancco counts
        # in « firmware_rounds »: a Purge standard whose firmware round did not run (a frozen drive, a refused
        # command) reached Clear by its overwrite, or nothing the report shows.
        level = OVERWRITE_LEVEL if overwritten else ""
    # Why the erasure is not proof, in the report's own terms (its state as Blancco writes it).
    reasons = []
    if not succeeded:
        state = _value(erasure, "state")
        reasons.append(
            _("Blancco Drive Eraser le dit « %(state)s »") % {"state": state}
            if state
            else _("Blancco Drive Eraser ne donne pas son état")
        )
    if failed:
        reasons.append(_("%(n)s secteur(s) que l’effacement n’a pas pu écrire") % {"n": failed})
    if remapped and not firmware:
        reasons.append(
            _("%(n)s secteur(s) réalloué(s) par le disque, qu’un écrasement n’atteint pas") % {"n": remapped}
        )
    return Entry(
        serial=serial,
        make=drive.make,
        model=drive.model,
        kind=drive.kind,
        capacity_gb=drive.capacity_gb,
        method=standard or TOOL,
        passes=rounds if rounds and 1 <= rounds <= 100 else None,
        verified=succeeded and not failed and not (remapped and not firmware),
        succeeded=succeeded,
        failure=", ".join(reasons),
        level=level or (OVERWRITE_LEVEL if overwrite_only else ""),
        finished=iso_time(_value(erasure, "end_time") or _value(erasure, "timestamp")),
        unreadable="" if serial else no_serial(),
    )


def _disks(hardware) -> list[Medium]:
    """The machine's drives (« blancco_hardware_report/disks/disk ») but those on USB: the stick Blancco booted
    from, or one plugged in, is not a drive of the machine."""
    group = _group(hardware, "disks") if hardware is not None else None
    drives = [_drive(disk) for disk in (_groups(group, "disk") if group is not None else [])]
    return [drive for drive, usb in drives if drive.serial and not usb]


def parse_blancco_xml(data: bytes) -> Report:
    """Every erasure of the file's reports (one per machine; a Management Console export may hold several)."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ReportError(_("Rapport XML de Blancco illisible : il est peut-être tronqué.")) from exc
    reports = [root] if root.tag == "blancco_data" else list(root.iter("blancco_data"))
    if not reports:
        raise ReportError(_("Ce fichier XML n’est pas un rapport de Blancco Drive Eraser."))
    hosts = []
    entries = []
    disks = []
    for blancco_data in reports:
        hardware = blancco_data.find("blancco_hardware_report")
        host = clean_serial(_value(_group(hardware, "system") if hardware is not None else None, "serial"))
        if host and host not in hosts:
            hosts.append(host)
        erasure_report = blancco_data.find("blancco_erasure_report")
        erasures = _group(erasure_report, "erasures") if erasure_report is not None else None
        entries.extend(
            _entry(erasure) for erasure in (_groups(erasures, "erasure") if erasures is not None else [])
        )
        disks.extend(_disks(hardware))
    if len(hosts) > 1:
        raise ReportError(
            _(
                "Ce fichier Blancco couvre plusieurs machines (numéros de série %(serials)s) : exportez le rapport "
                "de chaque machine séparément."
            )
            % {"serials": ", ".join(hosts)}
        )
    if not entries:
        raise ReportError(_("Ce rapport Blancco ne contient aucun effacement de disque."))
    first = reports[0]
    return Report(
        kind="blancco",
        tool=(_described(first, "product_name") or TOOL)[:100],
        tool_version=_described(first, "product_version")[:40],
        host_serial=hosts[0] if hosts else "",
        entries=entries,
        # A drive of the machine no erasure of the file targets: the technician left it out of the run.
        unerased=[
            drive for drive in disks if not any(same_serial(drive.serial, entry.serial) for entry in entries)
        ],
    )
