"""Hardware snapshots as the probes write them, read into one `Snapshot`: system identity, specs, media.

Formats (from each tool's public documentation and output):
- eReuse Workbench 11+: `{"type": "Snapshot", "device": {...}, "components": [...]}`, sizes in MB, a
  display's size in inches, the battery's measured charge against its design.
- eReuse workbench-script: `{"type": "Snapshot", "software": "workbench-script", "data": {"dmidecode": text,
  "smartctl": JSON text (a list of drives), "lshw": JSON text}}` (legacy snapshots name it "smart").
- `lshw -json`: a tree of nodes (`class` system, memory, processor, disk, storage, power), sizes in bytes.
- `smartctl --json` (`-x`, `-a`, `-i`): one document per drive, a list of them, or several in a row.
- `dmidecode` text: DMI tables 1 (system), 3 (chassis), 4 (processor), 17 (memory devices), 22 (battery).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from donations.enums import SizeUnit
from inventory.enums import StorageMedium
from inventory.reports import common
from inventory.reports.common import Medium, ReportError, clean_serial, make_from_model, medium_kind
from inventory.reports.smartctl import json_documents, medium_from_smartctl, unread_reason
from reuse import filekinds
from reuse.units import USUAL_STORAGE_GB, to_gb

SOURCES = {
    "workbench": "eReuse Workbench",
    "workbench-script": "eReuse workbench-script",
    "lshw": "lshw",
    "smartctl": "smartctl",
    "dmidecode": "dmidecode",
}


@dataclass
class Snapshot:
    source: str
    manufacturer: str = ""
    model: str = ""
    serial: str = ""
    chassis: str = ""
    cpu: str = ""
    ram_gb: int | None = None
    screen_inches: float | None = None
    battery_health: int | None = None
    media: list[Medium] = field(default_factory=list)

    @property
    def storage_gb(self) -> int | None:
        sizes = [medium.capacity_gb for medium in self.media if medium.capacity_gb]
        return sum(sizes) if sizes else None

    @property
    def storage_type(self) -> str:
        largest = max(self.media, key=lambda medium: medium.capacity_gb or 0, default=None)
        return largest.kind if largest else ""

    def merge(self, other: "Snapshot") -> None:
        """Fill what this snapshot lacks from another probe of the same machine."""
        for name in (
            "manufacturer",
            "model",
            "serial",
            "chassis",
            "cpu",
            "ram_gb",
            "screen_inches",
            "battery_health",
        ):
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))
        known = {medium.serial.casefold() for medium in self.media}
        self.media += [medium for medium in other.media if medium.serial.casefold() not in known]


# --- dmidecode --------------------------------------------------------------------------------------


def dmi_tables(text: str) -> list[tuple[int, dict]]:
    """[(DMI type, {key: value})] from dmidecode's text output."""
    tables, current = [], None
    for line in text.splitlines():
        header = re.match(r"^Handle 0x[0-9A-Fa-f]+, DMI type (\d+)", line)
        if header:
            current = (int(header.group(1)), {})
            tables.append(current)
            continue
        if current is not None:
            item = re.match(r"^\t([^\t:][^:]*):\s*(.*)$", line)
            if item:
                current[1].setdefault(item.group(1).strip(), item.group(2).strip())
    return tables


def _memory_gb(text: str) -> float:
    match = re.match(r"^(\d+(?:\.\d+)?)\s*(kB|MB|GB|TB)", text or "")
    if not match:
        return 0
    return float(match.group(1)) * {"kB": 1 / 1024**2, "MB": 1 / 1024, "GB": 1, "TB": 1024}[match.group(2)]


def from_dmidecode(text: str) -> Snapshot:
    tables = dmi_tables(text)
    if not tables:
        raise ReportError(_("Sortie de dmidecode illisible : aucune table DMI."))
    snapshot = Snapshot(source="dmidecode")
    memory = 0.0
    for kind, values in tables:
        if kind == 1:
            snapshot.manufacturer = values.get("Manufacturer", "")
            product, version = values.get("Product Name", ""), values.get("Version", "")
            # Lenovo writes its machine type as product name and the model ("ThinkPad T480") as version.
            if re.fullmatch(r"[0-9A-Z]{10}", product) and version and not version.lower().startswith("not"):
                snapshot.model = version
            else:
                snapshot.model = product
            snapshot.serial = clean_serial(values.get("Serial Number"))
        elif kind == 3 and not snapshot.chassis:
            snapshot.chassis = values.get("Type", "")
        elif kind == 4 and not snapshot.cpu:
            snapshot.cpu = values.get("Version", "")
        elif kind == 17:
            memory += _memory_gb(values.get("Size", ""))
        elif kind == 22 and snapshot.battery_health is None:
            design = re.match(r"(\d+)", values.get("Design Capacity", ""))
            full = re.match(r"(\d+)", values.get("Full Charge Capacity", ""))
            if design and full and int(design.group(1)):
                snapshot.battery_health = min(100, round(100 * int(full.group(1)) / int(design.group(1))))
    if memory:
        snapshot.ram_gb = round(memory)
    return snapshot


# --- smartctl ---------------------------------------------------------------------------------------


def from_smartctl(documents: list) -> Snapshot:
    snapshot = Snapshot(source="smartctl")
    for drive in documents:
        if not isinstance(drive, dict):
            continue
        medium = medium_from_smartctl(drive)
        if medium and medium.serial.casefold() not in {m.serial.casefold() for m in snapshot.media}:
            snapshot.media.append(medium)
    if not snapshot.media:
        raise ReportError(unread_reason(documents))
    return snapshot


# --- lshw -------------------------------------------------------------------------------------------


def _walk(node, parent=None, usb=False):
    """(node, parent, below a USB node) for each node of lshw's tree."""
    if isinstance(node, list):
        for child in node:
            yield from _walk(child, parent, usb)
        return
    if not isinstance(node, dict):
        return
    # A USB stick's disk has a SCSI address (scsi@2:0.0.0): only a node above it says usb@1:1.
    usb = usb or str(node.get("businfo", "")).startswith("usb@")
    yield node, parent, usb
    for child in node.get("children") or []:
        yield from _walk(child, node, usb)


def from_lshw(tree) -> Snapshot:
    snapshot = Snapshot(source="lshw")
    nodes = list(_walk(tree))
    system = next((node for node, _parent, _usb in nodes if node.get("class") == "system"), None)
    if system is None:
        raise ReportError(_("Sortie de lshw sans nœud « system » : lancez « lshw -json » en administrateur."))
    snapshot.manufacturer = system.get("vendor", "")
    product, version = system.get("product", ""), system.get("version", "")
    family = (system.get("configuration") or {}).get("family", "")
    if re.match(r"^[0-9A-Z]{10}\b", product) and (version or family):
        snapshot.model = version or family
    else:
        snapshot.model = re.sub(r"\s*\(.*\)$", "", product)
    snapshot.serial = clean_serial(system.get("serial"))
    snapshot.chassis = (system.get("configuration") or {}).get("chassis", "") or system.get("description", "")
    for node, parent, usb in nodes:
        kind = node.get("class")
        if kind == "processor" and not snapshot.cpu and node.get("product"):
            snapshot.cpu = node["product"]
        elif (
            kind == "memory"
            and node.get("id", "").startswith("memory")
            and node.get("size")
            and not snapshot.ram_gb
        ):
            snapshot.ram_gb = round(node["size"] / 1024**3)
        # The USB stick the bench booted from (or a disk it copies to) is not a medium of the machine.
        elif kind == "disk" and node.get("size") and not usb:
            owner = parent if parent and parent.get("class") == "storage" else {}
            serial = clean_serial(node.get("serial") or owner.get("serial"))
            if not serial:
                continue
            model = node.get("product") or owner.get("product") or ""
            snapshot.media.append(
                Medium(
                    serial=serial,
                    make=node.get("vendor") or owner.get("vendor") or make_from_model(model),
                    model=model[:120],
                    kind=medium_kind(
                        model=model, name=f"{node.get('logicalname', '')} {owner.get('id', '')}"
                    ),
                    capacity_gb=to_gb("storage_gb", node["size"], "b"),
                )
            )
    return snapshot


# --- eReuse Workbench --------------------------------------------------------------------------------


def _number(text) -> float:
    match = re.match(r"^\s*(\d+(?:\.\d+)?)", str(text or ""))
    return float(match.group(1)) if match else 0.0


def _workbench_kind(kind: str, model: str, interface: str) -> str:
    if kind == "SolidStateDrive":
        return StorageMedium.SSD
    # "DataStorage" is a drive Workbench could not classify: only a HardDrive is a hard drive by default.
    default = StorageMedium.HDD if kind == "HardDrive" else ""
    return medium_kind(model=model, protocol=interface) or default


def _workbench_drive_gb(size_mb: float) -> int:
    """Workbench 11.0b9 and later write drive sizes in decimal megabytes ("160042.0 MB" is a 160 GB drive),
    11.0a in mebibytes (305245 is a 320 GB drive). A drive holds at least the capacity on its label (IDEMA), so
    decimal megabytes land just above a usual capacity, mebibytes some 5 % under it."""
    decimal = size_mb / 1000
    label = next((usual for usual in USUAL_STORAGE_GB if usual <= decimal <= usual * 1.01), None)
    if label:
        return label
    binary = to_gb("storage_gb", size_mb, SizeUnit.MB)
    return binary if binary in USUAL_STORAGE_GB else round(decimal)


def from_workbench(document: dict) -> Snapshot:
    device = document.get("device") or {}
    snapshot = Snapshot(
        source="workbench",
        manufacturer=device.get("manufacturer") or "",
        model=device.get("model") or "",
        serial=clean_serial(device.get("serialNumber")),
        chassis=device.get("chassis") or device.get("type") or "",
    )
    ram = 0.0
    for component in document.get("components") or []:
        kind = component.get("type")
        if kind in ("HardDrive", "SolidStateDrive", "DataStorage"):
            serial = clean_serial(component.get("serialNumber"))
            if not serial:
                continue
            model = component.get("model") or ""
            size_mb = _number(component.get("size"))
            snapshot.media.append(
                Medium(
                    serial=serial,
                    make=component.get("manufacturer") or make_from_model(model),
                    model=model[:120],
                    kind=_workbench_kind(kind, model, component.get("interface") or ""),
                    capacity_gb=_workbench_drive_gb(size_mb) if size_mb else None,
                )
            )
        elif kind == "RamModule":
            ram += _number(component.get("size")) / 1024
        elif kind == "Processor" and not snapshot.cpu:
            snapshot.cpu = component.get("model") or ""
        elif kind == "Display" and snapshot.screen_inches is None and _number(component.get("size")):
            snapshot.screen_inches = round(_number(component.get("size")), 1)
        elif kind == "Battery":
            design = _number(component.get("size"))
            for action in component.get("actions") or []:
                measured = _number(action.get("size")) if action.get("type") == "MeasureBattery" else 0
                if design and measured:
                    snapshot.battery_health = min(100, round(100 * measured / design))
    if ram:
        snapshot.ram_gb = round(ram)
    return snapshot


def _embedded(value):
    """workbench-script keeps each tool's output as text; legacy snapshots as parsed JSON."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        return json_documents(value)
    return value


def from_workbench_script(document: dict) -> Snapshot:
    data = document.get("data") or {}
    snapshot = Snapshot(source="workbench-script")
    if data.get("dmidecode"):
        snapshot.merge(from_dmidecode(data["dmidecode"]))
    lshw = _embedded(data.get("lshw"))
    if lshw:
        snapshot.merge(from_lshw(lshw))
    drives = _embedded(data.get("smartctl") or data.get("smart") or data.get("disks"))
    if drives:
        snapshot.merge(from_smartctl(drives if isinstance(drives, list) else [drives]))
    if not (snapshot.serial or snapshot.media):
        raise ReportError(_("Relevé eReuse sans numéro de série de l’appareil ni de ses disques."))
    return snapshot


# --- which one --------------------------------------------------------------------------------------


def parse_snapshot(data: bytes) -> Snapshot:
    """The snapshot in a file, whichever probe wrote it; ReportError naming what the file looks like."""
    data = common.readable(data)
    kind = filekinds.sniff(data[: filekinds.HEAD_BYTES])
    text = common.decode_text(data) if kind in ("json", "log", "text", "csv") else ""
    if kind == "json":
        try:
            documents = json_documents(text)
        except ValueError as exc:
            raise ReportError(_("Fichier JSON illisible : il est peut-être tronqué.")) from exc
        first = documents[0] if documents and isinstance(documents[0], dict) else {}
        if first.get("type") == "Snapshot" and ("components" in first or "device" in first):
            return common.read_or_refuse(from_workbench, first, SOURCES["workbench"])
        if first.get("type") == "Snapshot" and "data" in first:
            return common.read_or_refuse(from_workbench_script, first, SOURCES["workbench-script"])
        if "smartctl" in first or "serial_number" in first:
            return common.read_or_refuse(from_smartctl, documents, SOURCES["smartctl"])
        if first.get("class") == "system" or "children" in first:
            return common.read_or_refuse(
                from_lshw, documents if len(documents) > 1 else first, SOURCES["lshw"]
            )
        raise ReportError(
            _("Ce JSON n’est ni un relevé eReuse Workbench, ni une sortie de lshw ou de smartctl.")
        )
    if "DMI type" in text and "Handle 0x" in text:
        return from_dmidecode(text)
    raise ReportError(
        _(
            "Relevé matériel non reconnu : ce fichier ressemble à %(what)s. Formats acceptés : relevé eReuse "
            "Workbench, « lshw -json », « smartctl --json », sortie texte de « dmidecode »."
        )
        % {"what": filekinds.describe(kind)},
        code=common.UNKNOWN_FORMAT,
    )
