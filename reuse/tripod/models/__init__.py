"""The two other legs of the tripod: connection (offers, data allowances) and skills (mediation places,
first-use sessions, the handover checklist), plus the Pass numérique cheques handed over with a device.

One module per subject; the classes are read from here, as Django and the rest of the project expect.
"""

from reuse.tripod.models.counter import (
    AllowanceHandout,
    AllowanceStock,
    HandoverChecklist,
    PassNumeriqueCheque,
)
from reuse.tripod.models.offers import ConnectivityOffer, Orientation
from reuse.tripod.models.places import CommunePoint, MediationPlace, PlaceImport
from reuse.tripod.models.sessions import SessionBooking, SessionSlot

__all__ = [
    "AllowanceHandout",
    "AllowanceStock",
    "CommunePoint",
    "ConnectivityOffer",
    "HandoverChecklist",
    "MediationPlace",
    "Orientation",
    "PassNumeriqueCheque",
    "PlaceImport",
    "SessionBooking",
    "SessionSlot",
]
