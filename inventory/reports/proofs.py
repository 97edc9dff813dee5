"""Whether an erasure a report tells of proves anything about the device it is recorded on (inventory/reports/apply.py
asks before writing): the erasure came after the donor let the device go. That the drive is not another device's is
asked by `inventory.services.erasures.record_erasure`, which every path writing an erasure goes through."""

from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Device
from inventory.reports.entries import Entry


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
