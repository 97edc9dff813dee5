"""The tripod in the impact figures: households equipped, oriented to a connectivity offer, trained."""

from dataclasses import dataclass

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


def tripod_figures(claims=None) -> TripodFigures:
    """Over the handed-over claims given (every claim by default): the households they equipped, and how many
    of those households were also oriented to an offer and came to a first-use session."""
    handed = (claims if claims is not None else Claim.objects.all()).filter(status=ClaimStatus.HANDED_OVER)
    households = handed.filter(beneficiary__isnull=False).values("beneficiary")
    return TripodFigures(
        equipped=handed.filter(beneficiary__isnull=False).values("beneficiary").distinct().count(),
        oriented=Orientation.objects.filter(household__in=households).values("household").distinct().count(),
        trained=SessionBooking.objects.filter(household__in=households, status=BookingStatus.ATTENDED)
        .values("household")
        .distinct()
        .count(),
        allowances=AllowanceHandout.objects.filter(claim__in=handed).count(),
    )
