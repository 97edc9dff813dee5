"""households (referrers acting under mandate) and eligibility decisions (PRODUCT.md contract)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from reuse.eligibility.api_particulier import Identity
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import Mandate
from reuse.eligibility.schemas import DecisionOut, EligibilityIn, HouseholdIn, HouseholdOut
from reuse.eligibility.services import decisions, households
from reuse.errors import Forbidden
from reuse.policy.accounts import is_staff
from reuse.policy.eligibility import (
    followed_households,
    get_followed_household,
    visible_decisions,
    visible_households,
)
from reuse.policy.mandates import running_mandates

router = Router(tags=["eligibility"])


def _running_mandates(viewer, households) -> dict:
    """The latest running mandate of each of `households` that `viewer` acts under (any, for staff), by household
    id, in one query."""
    mandates = Mandate.objects.active() if is_staff(viewer) else running_mandates(viewer)
    latest = {}
    for mandate in mandates.filter(household__in=households).order_by("household", "-created", "-pk"):
        latest.setdefault(mandate.household_id, mandate)
    return latest


def _households_out(households, viewer) -> list[dict]:
    households = list(households)
    mandates = _running_mandates(viewer, households)
    decided = decisions.latest_decisions(households)
    return [_household_out(h, mandates.get(h.pk), decided.get(h.pk)) for h in households]


def _household_out(household, mandate, decision):
    profile = household.household
    return {
        "id": household.pk,
        "first_name": household.first_name,
        "last_name": household.last_name,
        "postcode": profile.postcode,
        "department": profile.department,
        "household_size": profile.household_size,
        "has_email": bool(household.email),
        "mandate": {"id": mandate.pk, "scope": mandate.scopes, "expires_at": mandate.expires_at}
        if mandate
        else None,
        "eligibility": (
            {
                "id": decision.pk,
                "status": decision.status
                if decision.status != "eligible" or decision.is_valid
                else "expired",
                "expires_at": decision.expires_at,
                "programme": decision.programme.name,
            }
            if decision
            else None
        ),
    }


def _decision_out(decision):
    return {
        "id": decision.pk,
        "status": decision.status,
        "expires_at": decision.expires_at,
        "reasons": decision.reason_texts,
        "criteria": decision.criteria,
        "priorities": sorted(decision.verified_priorities),
        "evidence": decision.evidence,
        "programme": decision.programme.name,
    }


@router.get("/households", response=list[HouseholdOut], summary="Households under an active mandate of yours")
def list_households(request, q: str = Query("", max_length=100)):
    """`q` narrows the list as the referrer's page does (households.search): name words with or without accents,
    a birth date, a postcode."""
    user = request.user
    people = visible_households(user) if is_staff(user) else followed_households(user)
    people = households.search(people, q).exclude(pk=user.pk)
    return _households_out(people.select_related("household").order_by("last_name", "pk")[:500], user)


@router.post("/households", response={201: HouseholdOut}, summary="Create a household and its mandate")
def create_household(request, payload: HouseholdIn):
    household, _mandate = households.create_household_under_mandate(
        referrer=request.user,
        # The person's fields are the service's keyword arguments; the mandate's are named apart.
        **payload.dict(exclude={"mandate"}),
        scopes=payload.mandate.scope,
        months=payload.mandate.months,
        consent_given=True,
        consent_method=payload.mandate.consent_method,
        signed_name=payload.mandate.signed_name,
    )
    return Status(201, _households_out([household], request.user)[0])


@router.post("/eligibility", response={201: DecisionOut}, summary="Ask for an eligibility decision")
def create_decision(request, payload: EligibilityIn):
    user = request.user
    if payload.beneficiary_id is not None and payload.beneficiary_id != user.pk:
        household = get_followed_household(user, payload.beneficiary_id, scope=MandateScope.ELIGIBILITY)
    elif hasattr(user, "household"):
        household = user
    else:
        raise Forbidden(
            _("Seul un foyer, ou son prescripteur, peut demander une décision."), code="not_household"
        )
    identity = None
    if payload.identity is not None:
        identity = Identity(**payload.identity.dict())
    decision = decisions.decide_for_household(
        household=household,
        author=user,
        **payload.dict(exclude={"beneficiary_id", "identity"}),
        identity=identity,
    )
    return Status(201, _decision_out(decision))


@router.get("/eligibility/{decision_id}", response=DecisionOut, summary="One decision you may see")
def get_decision(request, decision_id: int):
    return _decision_out(
        get_object_or_404(visible_decisions(request.user).select_related("programme"), pk=decision_id)
    )
