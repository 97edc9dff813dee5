"""The workshop's stock as the bench files meet it: the devices a file may still change, found by their serial or
by a medium's, and the media a file records on a device (inventory/reports/apply.py)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from inventory.enums import StorageMedium
from inventory.models import Device, StorageMediumRecord
from inventory.reports.common import Medium
from inventory.services.devices import TERMINAL_STATES
from reuse.accounts.models import Organisation
from reuse.errors import InvalidInput
from reuse.serials import serial_text


def open_stock(workshop: Organisation):
    """The devices of the workshop a file may still change: those that have not left the stock."""
    return Device.objects.filter(workshop=workshop).exclude(state__in=TERMINAL_STATES)


def one(devices, serial: str, what: str) -> Device | None:
    found = list(devices[:2])
    if len(found) > 1:
        raise InvalidInput(
            _(
                "Plusieurs appareils de votre stock portent le numéro de série %(serial)s (%(what)s) : importez le fichier depuis la page de l’appareil."
            )
            % {"serial": serial, "what": what}
        )
    return found[0] if found else None


def by_serial(workshop: Organisation, serial: str) -> Device | None:
    if not serial_text(serial):
        return None
    return one(open_stock(workshop).filter(serial__iexact=serial_text(serial)), serial, _("appareil"))


def by_medium(workshop: Organisation, serial: str) -> Device | None:
    if not serial_text(serial):
        return None
    devices = open_stock(workshop).filter(media__serial__iexact=serial_text(serial)).distinct()
    return one(devices, serial, _("support"))


def save_media(device: Device, media: list[Medium], source: str) -> None:
    for medium in media:
        current = StorageMediumRecord.objects.filter(device=device, serial__iexact=medium.serial).first()
        values = {
            "make": medium.make[:80],
            "model": medium.model[:120],
            "kind": medium.kind if medium.kind in StorageMedium.values else "",
            "capacity_gb": medium.capacity_gb,
            "smart_passed": medium.smart_passed,
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


def recorded_elsewhere(device: Device, media: list[Medium]):
    """The records of the media of `media` already recorded on another device of the workshop (asked under
    `hold_stock`)."""
    wanted = Q(pk__in=[])
    for medium in media:
        wanted |= Q(serial__iexact=medium.serial)
    return StorageMediumRecord.objects.filter(wanted, device__workshop_id=device.workshop_id).exclude(
        device=device
    )


def other_devices_with(device: Device, media: list[Medium]) -> list[str]:
    taken = recorded_elsewhere(device, media).select_related("device")
    return [f"{record.serial} ({record.device.asset_tag})" for record in taken]
