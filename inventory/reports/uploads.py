"""Workshop imports of what the bench produced: one file (a snapshot, an erasure report or both) or a zip of
them, one result per file. The files are applied through `inventory.reports.apply`."""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.reports.apply import apply_erasure_report, apply_snapshot
from inventory.reports.common import MAX_REPORT_BYTES, UNKNOWN_FORMAT, UNPROVEN_OUTPUT, readable
from inventory.reports.entries import not_proven_message, set_aside_message, unerased_message
from inventory.reports.erasures import parse_erasure_report
from inventory.reports.snapshots import SOURCES, parse_snapshot
from inventory.reports.stock import open_stock
from inventory.services.devices import normalise_code
from reuse import filekinds, uploads
from reuse.accounts.models import Organisation, User
from reuse.errors import DomainError, InvalidInput, TooLarge

MAX_ZIP_BYTES = uploads.BENCH_REPORTS.max_bytes
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


# --- one file, a zip of files -----------------------------------------------------------------------------


def _import_file(
    workshop: Organisation, actor: User, filename: str, data: bytes, device: Device | None, level: str
) -> list[Outcome]:
    """A snapshot, an erasure report or both (an eReuse Workbench snapshot with erasures); never raises."""
    if filekinds.may_be_pdf(data):
        # An nwipe certificate is kept as it came, for the donor to download: it must do nothing but show pages.
        try:
            filekinds.check_passive_pdf(data)
        except InvalidInput as exc:
            return [Outcome(filename, False, exc.message)]
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
        head = readable(data[: filekinds.HEAD_BYTES])
        kind = filekinds.sniff(head)
        if (
            kind in ("pdf", "log")
            or (kind == "json" and b'"media"' in head)
            or b"<blancco_data" in head
            or report_error.code == UNPROVEN_OUTPUT
        ):
            return [Outcome(filename, False, report_error.message)]
        if kind == "json" or b"DMI type" in head:
            return [Outcome(filename, False, snapshot_error.message)]
        # A format that was recognised but is incomplete says what to add (a terminal transcript, say).
        for error in (report_error, snapshot_error):
            if error.code != UNKNOWN_FORMAT:
                return [Outcome(filename, False, error.message)]
        return [Outcome(filename, False, unknown_file(kind))]
    if snapshot is not None:
        try:
            found = apply_snapshot(workshop=workshop, actor=actor, snapshot=snapshot, device=device)
        except DomainError as exc:
            outcomes.append(Outcome(filename, False, exc.message, kind=SOURCES[snapshot.source]))
            return outcomes
        message = _("Relevé matériel importé : %(n)s support(s) de stockage.") % {"n": len(snapshot.media)}
        if found.withdrawal and found.state == DeviceState.RESERVED:
            message += " " + _(
                "L’appareil est réservé : sa remise est refusée tant que ce support n’est pas réglé "
                "(l’atelier est prévenu par e-mail)."
            )
        elif found.withdrawal:
            message += " " + _(
                "L’appareil quitte le catalogue (« %(state)s ») : la raison est dans son historique."
            ) % {"state": found.get_state_display()}
        outcomes.append(
            Outcome(
                filename,
                True,
                message,
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
            # Each drive not proven erased is named with what its report says went wrong.
            message += " " + not_proven_message(report, failed)
        # The media the report names without a serial: the others are recorded, these are for the technician.
        left_out = " ".join(part for part in (set_aside_message(report), unerased_message(report)) if part)
        if left_out:
            message += " " + left_out
        outcomes.append(
            Outcome(
                filename,
                not failed and not left_out,
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
        "rapport XML de Blancco Drive Eraser, rapport d’effacement JSON ; une archive ZIP de ces fichiers."
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
            parts = filekinds.name_parts(member_name(member)) or [_("sans nom")]
            name, folder = parts[-1], (parts[-2] if len(parts) > 1 else "")
            if member.file_size > MAX_REPORT_BYTES:
                yield name, folder, None
                continue
            yield name, folder, archive.read(member)


def member_name(member: zipfile.ZipInfo) -> str:
    """A member's name as whoever zipped it wrote it. Without the UTF-8 flag (bit 11) Python reads the name as
    code page 437 (the ZIP specification, APPNOTE appendix D), but Windows' « Compressed folder » writes it in the
    OEM code page, 850 on a French Windows (« À vérifier » would read « ╖ vérifier »), and some Linux and macOS
    tools write UTF-8 without setting the flag."""
    if member.flag_bits & 0x800:
        return member.filename
    raw = member.filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp850")


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused before reading when it is larger than any batch may be."""
    return uploads.BENCH_REPORTS.read(upload)


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
    if filekinds.sniff(data[:4096], io.BytesIO(data)) == "zip":
        members = list(_members(data))
    else:
        # One file is a batch of one, outside any folder.
        members = [(filename, "", data if len(data) <= MAX_REPORT_BYTES else None)]
    outcomes = []
    # The snapshots of a batch first, so that the reports that follow find the media they name.
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
        outcomes.extend(_import_file(workshop, actor, name, content, target, level))
    if not outcomes:
        raise InvalidInput(_("L’archive est vide."))
    return outcomes


def _folder_devices(workshop: Organisation, folders: set) -> dict:
    """A zip may hold one folder per device, named after its serial or its Rebond label: the files in it
    (a smartctl output has no serial of the machine) are then that device's."""
    found = {}
    stock = open_stock(workshop)
    for folder in folders:
        by_tag = stock.filter(asset_tag=normalise_code(folder)).first()
        matches = [by_tag] if by_tag else list(stock.filter(serial__iexact=folder)[:2])
        if len(matches) == 1:
            found[folder.casefold()] = matches[0]
    return found


def _looks_like_report(data: bytes) -> bool:
    data = readable(data[:200_000])
    head = data[:4096]
    kind = filekinds.sniff(head)
    return (
        kind in ("pdf", "log")
        or b'"media"' in head
        or b"<blancco_data" in head
        or any(marker in data for marker in (b"Erase", b"Issuing SECURITY_ERASE", b"(SSTAT)", b"nvme format"))
    )
