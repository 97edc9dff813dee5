"""What the tripod adds to other apps' pages: claims, eligibility and donations templates load these tags, so
that those apps never import this one."""

from django import template

from reuse.claims.enums import ACTIVE_CLAIM_STATUSES
from reuse.claims.models import Claim
from reuse.eligibility.enums import MandateScope
from reuse.policy.claims import visible_claims
from reuse.policy.eligibility import decision_summary_only, followed_households, visible_decisions
from reuse.tripod import services
from reuse.tripod.enums import BookingStatus
from reuse.tripod.forms import BookSessionForm, CounterForm, build_counter_form
from reuse.tripod.impact import tripod_figures
from reuse.tripod.models import Orientation, SessionBooking

register = template.Library()


def _places(postcode):
    origin, places = services.nearest_places(postcode or "")
    return {"origin": origin, "places": places}


def _postcode(user) -> str:
    profile = getattr(user, "household", None) if user is not None else None
    return profile.postcode if profile else ""


@register.inclusion_tag("tripod/_after_decision.html", takes_context=True)
def tripod_after_decision(context, decision):
    """On the decision page: the offers an eligible decision opens, and the mediation places near home."""
    offers = services.offers_for(decision)
    return {
        "request": context.get("request"),
        "decision": decision,
        "offers": offers,
        **_places(_postcode(decision.beneficiary) if decision.beneficiary_id else ""),
        "for_household": decision.beneficiary_id and decision.beneficiary_id != context["request"].user.pk,
    }


@register.inclusion_tag("tripod/_claim.html", takes_context=True)
def tripod_claim(context, claim: Claim):
    """On the claim page: the offers, the first-use session (book or see it), what went with the device."""
    request = context["request"]
    decision = claim.decision
    bookings = list(
        SessionBooking.objects.filter(claim=claim)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot", "slot__workshop", "slot__place")
    )
    # Sessions and connection offers go with a device the person is getting: not with a cancelled, expired or
    # returned claim (its page would otherwise invite them to book a session for a device they will not have).
    going_ahead = bool(claim.beneficiary_id) and claim.status in ACTIVE_CLAIM_STATUSES
    # The offers follow the decision's criteria: not for a referrer whose mandate covers claims only.
    offers_shown = going_ahead and not decision_summary_only(request.user, decision)
    slots = list(services.bookable_slots(claim)) if going_ahead else []
    booked_slots = {b.slot_id for b in bookings}
    slots = [slot for slot in slots if slot.pk not in booked_slots]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "claim": claim,
        "decision": decision,
        "going_ahead": going_ahead,
        "offers": services.offers_for(decision) if offers_shown else [],
        "bookings": bookings,
        "book_form": BookSessionForm(slots=slots) if slots else None,
        "checklist": getattr(claim, "handover_checklist", None),
        "allowance": getattr(claim, "data_allowance", None),
        "cheques": list(claim.pass_cheques.select_related("funder")),
        "for_household": claim.beneficiary_id not in (None, request.user.pk),
        **_places(_postcode(claim.beneficiary) if claim.beneficiary_id else ""),
    }


@register.simple_tag
def booked_sessions(claim: Claim):
    """For the printed code sheet: the sessions booked with the claim (the reminder of those without email)."""
    return list(
        SessionBooking.objects.filter(claim=claim, status=BookingStatus.BOOKED)
        .select_related("slot", "slot__workshop", "slot__place")
        .order_by("slot__starts_at")
    )


@register.simple_tag
def counter_form(claim: Claim, form):
    """The counter's form with the tripod's fields: the one posted back, or a new one for this claim, which says
    what refused the form it replaces (the claims app's own confirmation: the money short, the hold ended)."""
    if isinstance(form, CounterForm):
        return form
    counter_form = build_counter_form(
        claim, initial={"claim": claim.pk, "code": form.initial.get("code") or form["code"].value()}
    )
    refusals = form.non_field_errors()
    if refusals:
        counter_form.cleaned_data = {}  # add_error reads it; a form shown unbound is never cleaned
        counter_form.add_error(None, list(refusals))
    return counter_form


@register.inclusion_tag("tripod/_legs.html", takes_context=True)
def tripod_legs(context, household):
    """On the referrer's page of a household: device, connection and skills, side by side, each within the
    reader's mandate: the devices and first-use sessions under one covering claims, the connection offers (they
    follow the decision's criteria) under one covering eligibility. Outside it, a leg reads as empty."""
    user = context["request"].user
    claims = list(visible_claims(user).filter(beneficiary=household).select_related("device")[:5])
    return {
        "household": household,
        "claims": claims,
        "orientations": list(
            Orientation.objects.filter(
                household=household, decision__in=visible_decisions(user)
            ).select_related("offer")
        ),
        "bookings": list(
            SessionBooking.objects.filter(
                household=household, household__in=followed_households(user, MandateScope.CLAIMS)
            )
            .exclude(status=BookingStatus.CANCELLED)
            .select_related("slot", "slot__workshop", "slot__place")
        ),
    }


@register.inclusion_tag("tripod/_impact.html")
def tripod_impact(lot=None, devices=None):
    """Over the page's own devices (the lot's, or the public page's donated devices): the same scope as the impact
    figures beside it."""
    scope = lot.devices.all() if lot is not None else devices
    return {"figures": tripod_figures(scope), "lot": lot}
