"""Workshop imports of what the bench produced: hardware snapshots, erasure reports, a zip of them.

Keyword-only, atomic per file, raising `reuse.errors` types with French messages. Everything is matched by
serial within the workshop's own stock: the device's serial for a snapshot, each medium's serial (or the host's)
for an erasure report; a mismatch is refused, never guessed. Specs go through `inventory.services.update_device`
and erasures through `inventory.services.record_erasure`, so the rules of the forms and the API hold here too.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory import services
from inventory.enums import ErasureMethod, StorageMedium
from inventory.models import Device, ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports.common import MAX_REPORT_BYTES, Medium, ReportError, same_serial
from inventory.reports.erasures import Report, parse_erasure_report
from inventory.reports.snapshots import SOURCES, Snapshot, parse_snapshot
from reuse import filekinds
from reuse.accounts.models import Organisation, User
from reuse.errors import DomainError, InvalidInput, NotFound, TooLarge

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ZIP_FILES = 500
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100


@dataclass
class Outcome:
    """One line of the result table: what a file was, what it did, to which device."""

    filename: str
    ok: bool
    message: str
    kind: str = ""
    tags: tuple = ()

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "ok": self.ok,
            "message": str(self.message),
            "kind": self.kind,
            "tags": list(self.tags),
        }


def _stock(workshop: Organisation):
    return Device.objects.filter(workshop=workshop).exclude(state__in=services.TERMINAL_STATES)


def _one(devices, serial: str, what: str) -> Device | None:
    found = list(devices[:2])
    if len(found) > 1:
        raise InvalidInput(
            _(
                "Plusieurs appareils de votre stock portent le numéro de série %(serial)s (%(what)s) : importez le fichier depuis la page de l’appareil."
            )
            % {"serial": serial, "what": what}
        )
    return found[0] if found else None


def _by_serial(workshop: Organisation, serial: str) -> Device | None:
    if not serial:
        return None
    return _one(_stock(workshop).filter(serial__iexact=serial.strip()), serial, _("appareil"))


def _by_medium(workshop: Organisation, serial: str) -> Device | None:
    devices = _stock(workshop).filter(media__serial__iexact=serial.strip()).distinct()
    return _one(devices, serial, _("support"))


def _save_media(device: Device, media: list[Medium], source: str) -> None:
    for medium in media:
        current = StorageMediumRecord.objects.filter(device=device, serial__iexact=medium.serial).first()
        values = {
            "make": medium.make[:80],
            "model": medium.model[:120],
            "kind": medium.kind if medium.kind in StorageMedium.values else "",
            "capacity_gb": medium.capacity_gb,
            "source": source,
        }
        if current is None:
            StorageMediumRecord.objects.create(device=device, serial=medium.serial, **values)
        else:
            # A later probe completes what an earlier one left empty, never erases what it knew.
            for name, value in values.items():
                if value not in ("", None):
                    setattr(current, name, value)
            current.save()


def _other_devices_with(device: Device, media: list[Medium]) -> list[str]:
    serials = [medium.serial for medium in media]
    taken = StorageMediumRecord.objects.filter(
        device__workshop_id=device.workshop_id, serial__in=serials
    ).exclude(device=device)
    return [f"{record.serial} ({record.device.asset_tag})" for record in taken.select_related("device")]


# --- snapshots --------------------------------------------------------------------------------------------


def _snapshot_device(workshop: Organisation, snapshot: Snapshot) -> Device:
    device = _by_serial(workshop, snapshot.serial)
    if device is None:
        for medium in snapshot.media:
            device = _by_medium(workshop, medium.serial)
            if device is not None:
                break
    if device is None:
        serial = snapshot.serial or ", ".join(medium.serial for medium in snapshot.media)
        raise NotFound(
            _(
                "Aucun appareil de votre stock ne porte le numéro de série %(serial)s : entrez-le d’abord en stock."
            )
            % {"serial": serial or "?"}
        )
    return device


@transaction.atomic
def apply_snapshot(
    *, workshop: Organisation, actor: User, snapshot: Snapshot, device: Device | None = None
) -> Device:
    """Fill a device's specs and media from a snapshot of it (found by serial, or checked against it)."""
    if device is None:
        device = _snapshot_device(workshop, snapshot)
    elif device.workshop_id != workshop.pk:
        raise NotFound(_("Appareil introuvable dans votre stock."))
    elif snapshot.serial and device.serial and not same_serial(snapshot.serial, device.serial):
        raise InvalidInput(
            _(
                "Ce relevé est celui de l’appareil %(found)s, pas de %(tag)s (numéro de série %(serial)s) : "
                "vérifiez que vous importez le bon fichier."
            )
            % {"found": snapshot.serial, "tag": device.asset_tag, "serial": device.serial}
        )
    elsewhere = _other_devices_with(device, snapshot.media)
    if elsewhere:
        raise InvalidInput(
            _("Ces supports sont déjà ceux d’un autre appareil de votre stock : %(list)s.")
            % {"list": ", ".join(elsewhere)}
        )
    changes = {}
    if snapshot.serial and not device.serial:
        changes["serial"] = snapshot.serial
    for name, value in (("brand", snapshot.manufacturer), ("model", snapshot.model)):
        if value and not getattr(device, name):
            changes[name] = value.strip()[: 120 if name == "model" else 80]
    for name in ("cpu", "ram_gb", "screen_inches", "battery_health", "storage_gb", "storage_type"):
        value = getattr(snapshot, name)
        if value not in (None, ""):
            changes[name] = value[:120] if name == "cpu" else value
    known = {record.serial.casefold() for record in device.media.all()}
    media_count = len(known | {medium.serial.casefold() for medium in snapshot.media})
    if media_count:
        changes["media_count"] = media_count
    services.update_device(device=device, actor=actor, **changes)
    _save_media(device, snapshot.media, snapshot.source)
    return Device.objects.get(pk=device.pk)


# --- erasure reports ---------------------------------------------------------------------------------------


def _entry_device(workshop: Organisation, report: Report, serial: str, device: Device | None) -> Device:
    if device is not None:
        media = list(device.media.values_list("serial", flat=True))
        if any(same_serial(serial, known) for known in media):
            return device
        if report.host_serial and device.serial and same_serial(report.host_serial, device.serial):
            return device
        if not media and not (report.host_serial and device.serial):
            # Nothing known to compare with: the technician imported it from this device's page.
            return device
        raise InvalidInput(
            _(
                "Le rapport concerne le support %(serial)s, qui n’est pas un support connu de l’appareil %(tag)s : "
                "importez d’abord son relevé matériel, ou vérifiez que le fichier est le bon."
            )
            % {"serial": serial, "tag": device.asset_tag}
        )
    found = _by_medium(workshop, serial) or _by_serial(workshop, report.host_serial)
    if found is None:
        raise NotFound(
            _(
                "Aucun appareil de votre stock n’a le support %(serial)s%(host)s : importez d’abord le relevé "
                "matériel de l’appareil, ou importez le rapport depuis sa page."
            )
            % {
                "serial": serial,
                "host": (_(" ni le numéro de série %(host)s") % {"host": report.host_serial})
                if report.host_serial
                else "",
            }
        )
    return found


@transaction.atomic
def apply_erasure_report(
    *,
    workshop: Organisation,
    actor: User,
    report: Report,
    data: bytes,
    filename: str,
    device: Device | None = None,
    level: str = "",
) -> list[ErasureRecord]:
    """One erasure record per medium of the report, the original report attached (private storage)."""
    if level and level not in ErasureMethod.values:
        raise InvalidInput(_("Niveau NIST SP 800-88 inconnu (clear, purge ou destroy)."))
    if not report.tool_version:
        raise ReportError(_("Le rapport ne donne pas la version de l’outil d’effacement."))
    digest = hashlib.sha256(data).hexdigest()
    previous = ErasureReport.objects.filter(workshop=workshop, sha256=digest).first()
    if previous is not None:
        raise InvalidInput(
            _("Ce rapport a déjà été importé le %(date)s (%(count)s effacement(s)).")
            % {
                "date": timezone.localtime(previous.created).strftime("%d/%m/%Y %H:%M"),
                "count": previous.records.count(),
            },
            code="already_imported",
        )
    plan = []
    for entry in report.entries:
        target = _entry_device(workshop, report, entry.serial, device)
        method = entry.level or level
        if not method:
            raise InvalidInput(
                _(
                    "Le rapport n’indique pas le niveau NIST SP 800-88 de l’effacement du support %(serial)s : "
                    "choisissez-le (clear, purge ou destroy) avant d’importer."
                )
                % {"serial": entry.serial},
                code="level_required",
            )
        if target.state not in services.ERASABLE_STATES:
            raise InvalidInput(
                _("L’appareil %(tag)s est « %(state)s » : il ne reçoit plus d’effacement.")
                % {"tag": target.asset_tag, "state": target.get_state_display()}
            )
        plan.append((entry, target, method))
    stored = ErasureReport(
        workshop=workshop,
        filename=filename[:255],
        size=len(data),
        sha256=digest,
        kind=report.kind,
        tool=report.tool[:100],
        tool_version=report.tool_version[:40],
        uploaded_by=actor,
    )
    stored.file.save(f"{digest[:16]}-{filename[-80:]}", ContentFile(data), save=False)
    stored.save()
    records = []
    try:
        for entry, target, method in plan:
            records.append(
                services.record_erasure(
                    device=target,
                    operator=actor,
                    method=method,
                    tool=report.tool,
                    tool_version=report.tool_version,
                    media_serial=entry.serial,
                    verified=entry.ok,
                    media_type=entry.kind if entry.kind in StorageMedium.values else "",
                    media_make=entry.make,
                    media_model=entry.model,
                    performed_at=min(entry.finished, timezone.now()) if entry.finished else None,
                    notes=entry.method,
                    passes=entry.passes,
                    report=stored,
                )
            )
            _save_media(
                target,
                [
                    Medium(
                        serial=entry.serial,
                        make=entry.make,
                        model=entry.model,
                        kind=entry.kind,
                        capacity_gb=entry.capacity_gb,
                    )
                ],
                report.kind,
            )
    except Exception:
        # The file goes with the records it proves: none written, no file kept.
        stored.file.delete(save=False)
        raise
    return records


# --- one file, a zip of files -----------------------------------------------------------------------------


def import_file(
    *,
    workshop: Organisation,
    actor: User,
    filename: str,
    data: bytes,
    device: Device | None = None,
    level: str = "",
) -> list[Outcome]:
    """A snapshot, an erasure report or both (an eReuse Workbench snapshot with erasures); never raises."""
    if len(data) > MAX_REPORT_BYTES:
        return [Outcome(filename, False, _("Le fichier dépasse 10 Mo."))]
    outcomes = []
    snapshot = report = None
    snapshot_error = report_error = None
    try:
        snapshot = parse_snapshot(data)
    except DomainError as exc:
        snapshot_error = exc
    try:
        report = parse_erasure_report(data)
    except DomainError as exc:
        report_error = exc
    if snapshot is None and report is None:
        head = data[: filekinds.HEAD_BYTES]
        kind = filekinds.sniff(head)
        if kind in ("pdf", "log") or (kind == "json" and b'"media"' in head):
            return [Outcome(filename, False, report_error.message)]
        if kind == "json" or b"DMI type" in head:
            return [Outcome(filename, False, snapshot_error.message)]
        return [Outcome(filename, False, unknown_file(kind))]
    if snapshot is not None:
        try:
            found = apply_snapshot(workshop=workshop, actor=actor, snapshot=snapshot, device=device)
        except DomainError as exc:
            outcomes.append(Outcome(filename, False, exc.message, kind=SOURCES[snapshot.source]))
            return outcomes
        outcomes.append(
            Outcome(
                filename,
                True,
                _("Relevé matériel importé : %(n)s support(s) de stockage.") % {"n": len(snapshot.media)},
                kind=SOURCES[snapshot.source],
                tags=(found.asset_tag,),
            )
        )
        device = device or found
    if report is not None:
        try:
            records = apply_erasure_report(
                workshop=workshop,
                actor=actor,
                report=report,
                data=data,
                filename=filename,
                device=device,
                level=level,
            )
        except DomainError as exc:
            outcomes.append(Outcome(filename, False, exc.message, kind=report.tool))
            return outcomes
        failed = [record.media_serial for record in records if not record.verified]
        message = _("%(n)s effacement(s) enregistré(s) avec le rapport.") % {"n": len(records)}
        if failed:
            message += " " + _("Sans vérification réussie : %(list)s.") % {"list": ", ".join(failed)}
        outcomes.append(
            Outcome(
                filename,
                not failed,
                message,
                kind=report.tool,
                tags=tuple(sorted({record.device.asset_tag for record in records})),
            )
        )
    return outcomes


def unknown_file(kind: str) -> str:
    return _(
        "Fichier non reconnu : il ressemble à %(what)s. Formats acceptés : relevé eReuse Workbench, "
        "« lshw -json », « smartctl --json », « dmidecode » ; journal ou certificat PDF de nwipe / ShredOS, "
        "rapport d’effacement JSON ; une archive ZIP de ces fichiers."
    ) % {"what": filekinds.describe(kind)}


def _members(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidInput(_("Cette archive ZIP est endommagée.")) from exc
    with archive:
        members = [
            member
            for member in archive.infolist()
            if not member.is_dir()
            and not member.filename.startswith("__MACOSX/")
            and not member.filename.rsplit("/", 1)[-1].startswith(".")
        ]
        if len(members) > MAX_ZIP_FILES:
            raise InvalidInput(_("L’archive contient plus de %(n)s fichiers.") % {"n": MAX_ZIP_FILES})
        total = sum(member.file_size for member in members)
        if total > MAX_UNZIPPED_BYTES or any(
            member.file_size > 1_000_000
            and member.file_size / max(member.compress_size, 1) > MAX_COMPRESSION_RATIO
            for member in members
        ):
            raise InvalidInput(
                _("Cette archive est anormalement volumineuse une fois décompressée : elle est refusée.")
            )
        for member in sorted(members, key=lambda m: m.filename):
            parts = member.filename.split("/")
            name, folder = parts[-1][:255], (parts[-2] if len(parts) > 1 else "")
            if member.file_size > MAX_REPORT_BYTES:
                yield name, folder, None
                continue
            yield name, folder, archive.read(member)


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused before reading when it is larger than any batch may be."""
    if upload.size is not None and upload.size > MAX_ZIP_BYTES:
        raise TooLarge(_("Le fichier dépasse 50 Mo."))
    return upload.read()


def import_upload(
    *,
    workshop: Organisation,
    actor: User,
    filename: str,
    data: bytes,
    device: Device | None = None,
    level: str = "",
) -> list[Outcome]:
    """A file from the workshop's import page or a device page: a zip is a batch, one result per file."""
    if len(data) > MAX_ZIP_BYTES:
        raise TooLarge(_("Le fichier dépasse 50 Mo."))
    if filekinds.sniff(data[:4096], io.BytesIO(data)) != "zip":
        return import_file(
            workshop=workshop, actor=actor, filename=filename, data=data, device=device, level=level
        )
    outcomes = []
    # The snapshots of a batch first, so that the reports that follow find the media they name.
    members = list(_members(data))
    ordered = sorted(
        members, key=lambda item: 1 if item[2] is not None and _looks_like_report(item[2]) else 0
    )
    folders = {}
    if device is None:
        folders = _folder_devices(workshop, {folder for _name, folder, _content in members if folder})
    for name, folder, content in ordered:
        if content is None:
            outcomes.append(Outcome(name, False, _("Le fichier dépasse 10 Mo.")))
            continue
        target = device or folders.get(folder.casefold())
        outcomes.extend(
            import_file(
                workshop=workshop, actor=actor, filename=name, data=content, device=target, level=level
            )
        )
    if not outcomes:
        raise InvalidInput(_("L’archive est vide."))
    return outcomes


def _folder_devices(workshop: Organisation, folders: set) -> dict:
    """A zip may hold one folder per device, named after its serial or its Rebond label: the files in it
    (a smartctl output has no serial of the machine) are then that device's."""
    found = {}
    stock = _stock(workshop)
    for folder in folders:
        by_tag = stock.filter(asset_tag=services.normalise_code(folder)).first()
        matches = [by_tag] if by_tag else list(stock.filter(serial__iexact=folder)[:2])
        if len(matches) == 1:
            found[folder.casefold()] = matches[0]
    return found


def _looks_like_report(data: bytes) -> bool:
    head = data[:4096]
    kind = filekinds.sniff(head)
    return kind in ("pdf", "log") or b'"media"' in head or b"Erase" in data[:200_000]
