"""The tripod in the impact figures: households equipped, oriented to a connectivity offer, trained."""

from dataclasses import dataclass

from donations.impact import households_equipped
from inventory.models import Device
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.tripod.enums import BookingStatus
from reuse.tripod.models import AllowanceHandout, Orientation, SessionBooking


@dataclass
class TripodFigures:
    equipped: int
    oriented: int
    trained: int
    allowances: int


def tripod_figures(devices=None) -> TripodFigures:
    """Over the devices given (every device by default): the households they equip now, counted as the impact
    report counts them (donations.impact.households_equipped), and how many of those households were also oriented
    to an offer and came to a first-use session. A household whose device is back for a repair or was given back
    is no longer equipped by it (Claim.objects.holding())."""
    devices = devices if devices is not None else Device.objects.all()
    households = (
        Claim.objects.holding().filter(device__in=devices, beneficiary__isnull=False).values("beneficiary")
    )
    handed = Claim.objects.filter(device__in=devices, status=ClaimStatus.HANDED_OVER)
    return TripodFigures(
        equipped=households_equipped(devices),
        oriented=Orientation.objects.filter(household__in=households).values("household").distinct().count(),
        trained=SessionBooking.objects.filter(household__in=households, status=BookingStatus.ATTENDED)
        .values("household")
        .distinct()
        .count(),
        allowances=AllowanceHandout.objects.filter(claim__in=handed).count(),
    )
