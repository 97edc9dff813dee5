"""Whether an erasure a report tells of proves anything about the device it is recorded on (inventory/reports/apply.py
asks before writing): the drive is not another device's, and the erasure came after the donor let the device go."""

from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Device, ErasureRecord, StorageMediumRecord
from inventory.reports.entries import Entry
from reuse.errors import InvalidInput


def refuse_if_elsewhere(target: Device, serial: str) -> None:
    """A drive is in one device: its erasure is never recorded on a second one (a report imported from the page
    of a device that has no known media, the same drive's certificate sent for two devices)."""
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


def set_aside_if_before_donation(entry: Entry, target: Device) -> bool:
    """Set the entry aside (True) when its verified erasure ended before the donor declared the device's lot: the donor
    used the device after it (an old log of an earlier refurbishment, a certificate kept with the machine), and
    what the donor wrote since is still on the drive. A device the workshop entered without a lot is not concerned."""
    lot = target.lot
    # A failed erasure is recorded whenever it ran: it holds the device back, it never lets it go.
    if lot is None or not entry.ok or entry.finished is None or entry.finished >= lot.created:
        return False
    entry.unreadable = _(
        "le rapport date son effacement du %(date)s, avant le don (lot « %(lot)s » déclaré le %(declared)s) : les "
        "données écrites depuis par le donateur n’ont pas été effacées"
    ) % {
        "date": timezone.localtime(entry.finished).strftime("%d/%m/%Y"),
        "lot": lot.title,
        "declared": timezone.localtime(lot.created).strftime("%d/%m/%Y"),
    }
    return True
