"""Erasure records, one per medium and pass (NIST SP 800-88): the evidence the erasure rule reads."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.enums import BUILT_IN_STORAGE_TYPES, DeviceState, ErasureMethod, StorageMedium
from inventory.models import Device, ErasureRecord, StorageMediumRecord
from inventory.services.devices import hold_stock
from reuse.accounts.models import User
from reuse.errors import Conflict, InvalidInput
from reuse.serials import serial_text

ERASABLE_STATES = (DeviceState.RECEIVED, DeviceState.IN_REPAIR, DeviceState.READY, DeviceState.PARTS)


def refuse_if_elsewhere(target: Device, serial: str) -> None:
    """A drive is in one device: its erasure is never recorded on a second one (a report imported from the page
    of a device that has no known media, the same drive's certificate sent for two devices, a serial typed on the
    wrong page). Asked under the workshop's row (`hold_stock`): no constraint can say it, since one drive has many
    records (passes that failed, a drive erased again) that must all name the same device."""
    owners = {
        record.device.asset_tag
        for record in [
            *StorageMediumRecord.objects.filter(
                device__workshop_id=target.workshop_id, serial__iexact=serial
            ).select_related("device"),
            *ErasureRecord.objects.filter(
                device__workshop_id=target.workshop_id, media_serial__iexact=serial
            ).select_related("device"),
        ]
        if record.device_id != target.pk
    }
    if owners:
        raise InvalidInput(
            _(
                "Le support %(serial)s est déjà celui de l’appareil %(tags)s de votre stock : son effacement "
                "n’est pas enregistré sur %(tag)s. Vérifiez le fichier, ou l’appareil qui contient ce support."
            )
            % {"serial": serial, "tags": ", ".join(sorted(owners)), "tag": target.asset_tag},
            code="medium_elsewhere",
        )


@transaction.atomic
def record_erasure(
    *,
    device: Device,
    operator: User,
    method: str,
    tool: str,
    tool_version: str,
    media_serial: str,
    verified: bool,
    media_type: str = "",
    media_make: str = "",
    media_model: str = "",
    performed_at=None,
    notes: str = "",
    passes: int | None = None,
    report=None,
) -> ErasureRecord:
    """One erasure of one medium (NIST SP 800-88). Records are never edited: a new pass adds a new record.

    `report` is the tool's original report when the record comes from an import (inventory.reports).
    """
    # One drive, one device: the workshop's row, held until commit, makes two technicians recording the same drive
    # on two devices at once queue, and the second one sees the first one's record (taken before the device, in
    # the order of the check-in and the stock import).
    hold_stock(device.workshop)
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.state not in ERASABLE_STATES:
        raise Conflict(
            _("Un appareil « %(state)s » ne peut plus recevoir d’effacement.")
            % {"state": device.get_state_display()}
        )
    media_serial = serial_text(media_serial)
    if not media_serial and device.type in BUILT_IN_STORAGE_TYPES:
        # A phone's storage has no serial of its own to give: its erasure is the device's (BUILT_IN_STORAGE_TYPES),
        # of its soldered flash, whatever the form's type list was left on (its first choice is a hard drive).
        media_serial = serial_text(device.serial)
        media_type = StorageMedium.EMMC
    errors = []
    if method not in ErasureMethod.values:
        errors.append(_("Méthode inconnue (clear, purge ou destroy)."))
    if media_type and media_type not in StorageMedium.values:
        errors.append(_("Type de support inconnu."))
    if not tool.strip() or not tool_version.strip():
        errors.append(_("Indiquez l’outil et sa version."))
    if not media_serial:
        errors.append(_("Indiquez le numéro de série du support effacé."))
    if performed_at and performed_at > timezone.now():
        errors.append(_("La date d’effacement ne peut pas être dans le futur."))
    if passes is not None and not 1 <= passes <= 100:
        errors.append(_("Le nombre de passes va de 1 à 100."))
    if errors:
        raise InvalidInput(" ".join(str(e) for e in errors))
    refuse_if_elsewhere(device, media_serial)
    return ErasureRecord.objects.create(
        device=device,
        method=method,
        tool=tool.strip(),
        tool_version=tool_version.strip(),
        media_serial=media_serial,
        media_type=media_type,
        media_make=media_make.strip()[:80],
        media_model=media_model.strip()[:120],
        operator=operator,
        performed_at=performed_at or timezone.now(),
        verified=bool(verified),
        passes=passes,
        report=report,
        notes=notes,
    )
