"""Whether a person may claim now, and if not why: the one rule a claim is checked against when it is made
(reservations) and that a page reads before it offers the claim form, so that no page offers what its POST refuses."""

from typing import NamedTuple

from inventory.models import Device
from reuse.accounts.models import Organisation, User
from reuse.claims.services.checks import (
    check_association_cap,
    check_cooldown,
    check_household_cap,
    check_territory,
    lock_claimant,
    resolve_claimant,
    valid_decision,
)
from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.errors import Forbidden


class Claimant(NamedTuple):
    """Who a reservation is for (a household, or an association) and the valid decision it is made under."""

    beneficiary: User | None
    organisation: Organisation | None
    mandate: Mandate | None  # the referrer's, when a referrer claims for the household
    decision: EligibilityDecision


def entitled_claimant(
    *,
    actor: User,
    beneficiary: User | None,
    organisation: Organisation | None,
    devices: int,
    lock: bool = True,
) -> Claimant:
    """Resolve the claimant (locked with `lock`, so that its caps hold while it reserves), check its decision and,
    for an association, that `devices` more stay within its yearly cap."""
    beneficiary, organisation, mandate = resolve_claimant(
        actor=actor, beneficiary=beneficiary, organisation=organisation
    )
    if lock:
        lock_claimant(beneficiary, organisation)
    decision = valid_decision(beneficiary, organisation, actor)
    if organisation is not None:
        check_association_cap(decision.programme, organisation, devices)
    return Claimant(beneficiary, organisation, mandate, decision)


def check_device_for(claimant: Claimant, device: Device, *, actor: User) -> None:
    """The rules between a claimant and one device: where it is, a recent claim of it, the household's cap."""
    beneficiary, organisation, _mandate, decision = claimant
    check_territory(decision, device, actor=actor, beneficiary=beneficiary)
    check_cooldown(decision.programme, device, beneficiary, organisation)
    if beneficiary is not None:
        check_household_cap(decision.programme, beneficiary, device.type, actor)


def claim_refusal(
    *,
    actor: User,
    device: Device | None = None,
    beneficiary: User | None = None,
    organisation: Organisation | None = None,
) -> Forbidden | None:
    """The refusal a claim by `actor` (for `beneficiary`, or `organisation`) of `device` would meet now, None when
    it would be accepted as far as its claimant goes (the device may still be taken in between). Without `device`,
    whether this claimant may claim at all (an association's page of several devices)."""
    try:
        claimant = entitled_claimant(
            actor=actor, beneficiary=beneficiary, organisation=organisation, devices=1, lock=False
        )
        if device is not None:
            check_device_for(claimant, device, actor=actor)
    except Forbidden as refusal:
        return refusal
    return None
