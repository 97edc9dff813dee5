"""Use-cases of the tripod: orienting to an offer, booking and marking first-use sessions, the counter's extras.

Keyword-only, atomic, typed errors. Acting for a household goes through reuse.policy.mandates only.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.models import User
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, VoucherFunder
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import EligibilityDecision
from reuse.errors import Conflict, InvalidInput, NotFound
from reuse.policy.mandates import acting_mandate
from reuse.programmes.departments import DEPARTMENTS, department_of_postcode, distance_km
from reuse.tripod.enums import ChecklistItem, Subscribed
from reuse.tripod.models import (
    AllowanceHandout,
    AllowanceStock,
    CommunePoint,
    ConnectivityOffer,
    HandoverChecklist,
    MediationPlace,
    Orientation,
    PassNumeriqueCheque,
)
from reuse.tripod.sessions import (  # noqa: F401 (the session use-cases are part of this module's interface)
    SLOT_EDITABLE_FIELDS,
    book_session,
    bookable_slots,
    cancel_booking,
    cancel_slot,
    mark_attendance,
    publish_slot,
    send_session_reminders,
    update_slot,
    workshops_of,
)

NEAREST_PLACES = 3
# A first box around home (about 55 km), widened once when it holds nothing.
SEARCH_BOX_DEGREES = (0.5, 2.0)


# --- connection --------------------------------------------------------------------------------------------


def household_department(decision: EligibilityDecision) -> str:
    profile = getattr(decision.beneficiary, "household", None) if decision.beneficiary_id else None
    return department_of_postcode(profile.postcode) if profile else ""


def offers_for(decision: EligibilityDecision) -> list[ConnectivityOffer]:
    """The offers a valid decision opens for its household, cheapest over a first year first."""
    if not decision.is_valid or not decision.beneficiary_id:
        return []
    return ConnectivityOffer.objects.opened_by(decision.criteria, household_department(decision))


@transaction.atomic
def orient(*, actor: User, decision: EligibilityDecision, offer_id: int) -> Orientation:
    """The household (or its referrer) prints the orientation sheet of an offer its decision opens."""
    acting_mandate(actor=actor, household=decision.beneficiary, scope=MandateScope.ELIGIBILITY)
    offer = next((o for o in offers_for(decision) if o.pk == offer_id), None)
    if offer is None:
        raise NotFound(_("Cette offre n’est pas ouverte par cette décision."))
    orientation, _created = Orientation.objects.get_or_create(
        household=decision.beneficiary,
        offer=offer,
        defaults={"decision": decision, "oriented_by": actor},
    )
    return orientation


@transaction.atomic
def declare_subscription(*, actor: User, orientation: Orientation, subscribed: str) -> Orientation:
    if subscribed not in Subscribed.values:
        raise InvalidInput(_("Réponse inconnue."))
    acting_mandate(actor=actor, household=orientation.household, scope=MandateScope.ELIGIBILITY)
    Orientation.objects.filter(pk=orientation.pk).update(
        subscribed=subscribed, subscribed_declared_at=timezone.now()
    )
    orientation.refresh_from_db()
    return orientation


# --- nearest mediation places ------------------------------------------------------------------------------


@dataclass
class Origin:
    """Where "home" is taken to be, and how roughly: the commune's centre, or the department's."""

    point: tuple[float, float] | None
    postcode: str
    commune: str = ""
    department: str = ""

    @property
    def precision(self) -> str:
        return "commune" if self.commune else ("department" if self.point else "none")


def origin_of(postcode: str) -> Origin:
    points = list(CommunePoint.objects.filter(postcode=postcode))
    if points:
        lat = sum(p.latitude for p in points) / len(points)
        lon = sum(p.longitude for p in points) / len(points)
        return Origin((lat, lon), postcode, commune=", ".join(sorted(p.name for p in points)))
    department = department_of_postcode(postcode)
    centre = DEPARTMENTS.get(department)
    return Origin((centre.lat, centre.lon) if centre else None, postcode, department=department)


def nearest_places(
    postcode: str, *, limit: int = NEAREST_PLACES
) -> tuple[Origin, list[tuple[MediationPlace, float]]]:
    """The mediation places nearest to a postcode's commune, with their distance in km (as the crow flies)."""
    origin = origin_of(postcode)
    if origin.point is None:
        return origin, []
    lat, lon = origin.point
    ranked = []
    for box in SEARCH_BOX_DEGREES:
        candidates = MediationPlace.objects.filter(
            latitude__range=(lat - box, lat + box), longitude__range=(lon - box * 1.5, lon + box * 1.5)
        )
        ranked = sorted(
            ((place, distance_km(origin.point, (place.latitude, place.longitude))) for place in candidates),
            key=lambda pair: (pair[1], pair[0].pk),
        )
        # The box is a rectangle: a place in its corner may be farther than one just past its edge. Only the
        # places within the circle the box holds are surely the nearest; with fewer than asked, the box widens.
        if sum(1 for _place, km in ranked if km <= _inner_radius_km(origin.point, box)) >= limit:
            break
    return origin, ranked[:limit]


def _inner_radius_km(point: tuple[float, float], box: float) -> float:
    """How far from `point` every place lies inside its search box: the nearer of its north-south edge and its
    east-west edge, measured where the meridians are closest (the side towards the pole)."""
    lat, lon = point
    poleward = min(abs(lat) + box, 90.0)
    return min(
        distance_km(point, (lat + box, lon)), distance_km((poleward, lon), (poleward, lon + box * 1.5))
    )


# --- first-use sessions: reuse.tripod.sessions ------------------------------------------------------------


# --- the counter -------------------------------------------------------------------------------------------


@dataclass
class ChequeLine:
    funder: VoucherFunder
    booklet_number: str
    cheque_number: str


@transaction.atomic
def record_handover(
    *,
    actor: User,
    claim: Claim,
    items: list[str],
    note: str = "",
    stock: AllowanceStock | None = None,
    allowance_reference: str = "",
    cheques: list[ChequeLine] = (),
) -> HandoverChecklist:
    """Record what went with the device at the counter. Called inside the handover's transaction, so that a
    refusal (no allowance left, a cheque already handed out) leaves the device with the workshop."""
    if (
        claim.status != ClaimStatus.HANDED_OVER
        or not workshops_of(actor).filter(pk=claim.device.workshop_id).exists()
    ):
        raise NotFound()
    unknown = [code for code in items if code not in ChecklistItem.values]
    if unknown:
        raise InvalidInput(_("Point de la liste inconnu."))
    checklist = HandoverChecklist.objects.create(
        claim=claim, items=sorted(set(items)), note=note, recorded_by=actor
    )
    if stock is not None:
        taken = AllowanceStock.objects.filter(
            pk=stock.pk, workshop_id=claim.device.workshop_id, remaining__gt=0
        ).update(remaining=F("remaining") - 1)
        if not taken:
            raise Conflict(
                _("Plus de forfait de données « %(stock)s » en stock : choisissez-en un autre ou aucun.")
                % {"stock": stock.description},
                code="allowance_out_of_stock",
            )
        AllowanceHandout.objects.create(
            claim=claim, stock=stock, reference=allowance_reference, handed_by=actor
        )
    for line in cheques:
        if PassNumeriqueCheque.objects.filter(
            funder=line.funder, booklet_number=line.booklet_number, cheque_number=line.cheque_number
        ).exists():
            raise Conflict(
                _("Le chèque %(booklet)s / %(cheque)s de ce financeur a déjà été remis.")
                % {"booklet": line.booklet_number, "cheque": line.cheque_number},
                code="cheque_already_given",
            )
        PassNumeriqueCheque.objects.create(
            claim=claim,
            funder=line.funder,
            booklet_number=line.booklet_number,
            cheque_number=line.cheque_number,
            recorded_by=actor,
        )
    return checklist
