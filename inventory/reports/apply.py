"""Applying what the bench produced to the stock: a hardware snapshot, an erasure report.

Keyword-only, atomic per file, raising `reuse.errors` types with French messages. Everything is matched by
serial within the workshop's own stock: the device's serial for a snapshot, each medium's serial (or the host's)
for an erasure report; a mismatch is refused, never guessed. Specs go through
`inventory.services.devices.update_device` and erasures through `inventory.services.erasures.record_erasure`, so
the rules of the forms and the API hold here too.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.enums import DeviceState, ErasureMethod, StorageMedium
from inventory.erasure import media_status
from inventory.models import Device, ErasureRecord, ErasureReport
from inventory.reports.common import Medium, ReportError, same_serial
from inventory.reports.entries import Report, set_aside_future, set_aside_message, set_aside_twins
from inventory.reports.proofs import set_aside_if_before_donation
from inventory.reports.snapshots import Snapshot
from inventory.reports.stock import (
    by_medium,
    by_serial,
    other_devices_with,
    recorded_elsewhere,
    save_media,
)
from inventory.services.devices import hold_stock, update_device
from inventory.services.erasures import ERASABLE_STATES, record_erasure, refuse_if_elsewhere
from inventory.transitions import withdraw_unfit
from reuse.accounts.models import Organisation, User
from reuse.errors import InvalidInput, NotFound

# --- snapshots --------------------------------------------------------------------------------------------


def _snapshot_device(workshop: Organisation, snapshot: Snapshot) -> Device:
    device = by_serial(workshop, snapshot.serial)
    if device is None:
        for medium in snapshot.media:
            device = by_medium(workshop, medium.serial)
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
    # Two snapshots of one device at once (two benches, a double click): the second waits for the first's media
    # and completes them instead of writing them a second time. Two snapshots of one drive in two devices: the
    # workshop's row (taken first, in the order of every writer of the stock) makes the second one see the first
    # one's media, and refuse them.
    hold_stock(workshop)
    Device.objects.select_for_update().filter(pk=device.pk).first()
    elsewhere = other_devices_with(device, snapshot.media)
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
    # What the probe found is kept whatever it means for the device: a failing drive or a new medium takes a
    # listed device out of the catalogue, and blocks a reserved one's handover (withdraw_unfit).
    save_media(device, snapshot.media, snapshot.source)
    withdrawal = withdraw_unfit(device_id=device.pk, actor=actor)
    device = Device.objects.get(pk=device.pk)
    if media_count and not (withdrawal and device.state == DeviceState.RESERVED):
        # A reserved device keeps its count until the claim ends: its recorded media already refuse the handover.
        changes["media_count"] = media_count
    update_device(device=device, actor=actor, **changes)
    device = Device.objects.get(pk=device.pk)
    device.withdrawal = withdrawal
    return device


# --- erasure reports ---------------------------------------------------------------------------------------


def _bench_run(workshop: Organisation, report: Report) -> bool:
    """A run that wiped drives of devices other than the machine that ran it (a bench wiping loose drives, or a
    laptop with another device's drive plugged in): the machine's serial then says nothing of where a drive
    nobody knows came from."""
    if len(report.entries) < 2:
        return False
    host = by_serial(workshop, report.host_serial)
    owners = {found.pk for entry in report.entries if (found := by_medium(workshop, entry.serial))}
    return bool(owners - {host.pk if host else None})


def _entry_device(
    workshop: Organisation, report: Report, serial: str, device: Device | None, bench: bool = False
) -> Device:
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
    found = by_medium(workshop, serial) or (None if bench else by_serial(workshop, report.host_serial))
    if found is None:
        raise NotFound(
            _(
                "Aucun appareil de votre stock n’a le support %(serial)s%(host)s : importez d’abord le relevé "
                "matériel de l’appareil, ou importez le rapport depuis sa page."
            )
            % {
                "serial": serial,
                "host": (_(" ni le numéro de série %(host)s") % {"host": report.host_serial})
                if report.host_serial and not bench
                else "",
            }
        )
    return found


def _previous_import(workshop: Organisation, digest: str) -> ErasureReport | None:
    return ErasureReport.objects.filter(workshop=workshop, sha256=digest).first()


def _refuse_if_imported(previous: ErasureReport | None) -> None:
    """The same file is proof once: a second import (a second click, a zip sent again) records nothing."""
    if previous is not None:
        raise InvalidInput(
            _("Ce rapport a déjà été importé le %(date)s (%(count)s effacement(s)).")
            % {
                "date": timezone.localtime(previous.created).strftime("%d/%m/%Y %H:%M"),
                "count": previous.records.count(),
            },
            code="already_imported",
        )


def _not_yet_recorded(plan: list, tool: str) -> tuple[list, list[str]]:
    """The plan without the erasures already recorded from another file of the same run (nwipe writes, for one
    run, a certificate per drive, its system report and its log): same device, medium, tool and end, to the
    second. The serials left out are returned with it."""
    kept, known = [], []
    for entry, target, method in plan:
        if (
            entry.finished
            and ErasureRecord.objects.filter(
                device=target, media_serial__iexact=entry.serial, tool=tool, performed_at=entry.finished
            ).exists()
        ):
            known.append(entry.serial)
        else:
            kept.append((entry, target, method))
    return kept, known


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
    if level == ErasureMethod.DESTROY:
        raise InvalidInput(
            _(
                "Un rapport d’effacement ne prouve pas une destruction : choisissez clear ou purge, ou enregistrez "
                "la destruction du support sur la page de son appareil."
            ),
            code="level_too_strong",
        )
    if not report.tool_version:
        raise ReportError(_("Le rapport ne donne pas la version de l’outil d’effacement."))
    digest = hashlib.sha256(data).hexdigest()
    _refuse_if_imported(_previous_import(workshop, digest))
    set_aside_future(report)
    set_aside_twins(report)
    readable = [entry for entry in report.entries if not entry.unreadable]
    if not readable:
        # Nothing the report says can be tied to a device: refused, each medium named with what to do.
        raise ReportError(set_aside_message(report), code="nothing_readable")
    # Before anything is read of the stock: a report of the same drive imported on another device at this moment
    # waits here, then meets the drive recorded there (one drive, one device), whatever the devices it locks.
    hold_stock(workshop)
    plan = []
    bench = device is None and _bench_run(workshop, report)
    for entry in readable:
        target = _entry_device(workshop, report, entry.serial, device, bench)
        refuse_if_elsewhere(target, entry.serial)
        if set_aside_if_before_donation(entry, target):
            continue
        method = entry.level or level
        if not method:
            raise InvalidInput(
                _(
                    "Le rapport n’indique pas le niveau NIST SP 800-88 de l’effacement du support %(serial)s : "
                    "choisissez-le (clear ou purge) avant d’importer."
                )
                % {"serial": entry.serial},
                code="level_required",
            )
        if target.state not in ERASABLE_STATES:
            raise InvalidInput(
                _("L’appareil %(tag)s est « %(state)s » : il ne reçoit plus d’effacement.")
                % {"tag": target.asset_tag, "state": target.get_state_display()}
            )
        plan.append((entry, target, method))
    if not plan:
        raise ReportError(set_aside_message(report), code="nothing_readable")
    # Its devices locked together, in one order: two reports naming the same devices in other orders wait for
    # each other instead of each holding one and waiting for the other (a deadlock).
    list(Device.objects.select_for_update().filter(pk__in={t.pk for _e, t, _m in plan}).order_by("pk"))
    # The same file sent by another request a moment before: it held these devices and kept it first.
    _refuse_if_imported(_previous_import(workshop, digest))
    plan, known = _not_yet_recorded(plan, report.tool)
    if known and not plan:
        raise InvalidInput(
            _(
                "Les effacements de ce rapport sont déjà enregistrés, par un autre fichier du même passage : %(list)s."
            )
            % {"list": ", ".join(known)},
            code="already_recorded",
        )
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
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # The same file sent twice at once: the other request wrote it between our check and this line.
        stored.file.delete(save=False)
        _refuse_if_imported(_previous_import(workshop, digest))
        raise
    records = []
    try:
        for entry, target, method in plan:
            records.append(
                record_erasure(
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
            save_media(
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
        _keep_unerased(workshop, report, device, {target for _e, target, _m in plan})
    except Exception:
        # The file goes with the records it proves: none written, no file kept.
        stored.file.delete(save=False)
        raise
    return records


def _keep_unerased(workshop: Organisation, report: Report, device: Device | None, erased: set) -> None:
    """The drives the report found in the machine without erasing them become media of that machine, when it is
    sure which device that is (the one imported from, unless the report names another machine; else the one with
    the report's host serial) and the report erased drives of it (it is then locked): the erasure rule keeps it
    offline until they are erased. A drive already known on another device is that device's."""
    if device is not None:
        host = (
            None
            if report.host_serial and device.serial and not same_serial(report.host_serial, device.serial)
            else device
        )
    else:
        host = by_serial(workshop, report.host_serial)
    if not report.unerased or host is None or host not in erased:
        return
    taken = {
        serial.casefold()
        for serial in recorded_elsewhere(host, report.unerased).values_list("serial", flat=True)
    }
    # A drive erased (and verified) before, by another run, is not left to erase.
    erased_before = {serial.casefold() for serial, ok in media_status(host).items() if ok}
    report.unerased = [
        medium for medium in report.unerased if medium.serial.casefold() not in taken | erased_before
    ]
    if report.unerased:
        save_media(host, report.unerased, report.kind)
        report.unerased_on = host.asset_tag
