"""Which fragile territories a household lives in, the points they give on a programme's waitlist, and the
referrer's attestation. Keyword-only, atomic, typed errors."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.models import HouseholdProfile, User
from reuse.eligibility.enums import JournalAction, MandateScope
from reuse.eligibility.models import MandateJournalEntry
from reuse.errors import Conflict, InvalidInput, NotFound
from reuse.policy.mandates import acting_mandate
from reuse.territories.enums import TerritoryKind, TerritorySource
from reuse.territories.models import TerritoryArea, TerritoryAttestation, TerritoryWeights


def kinds_from_address(*, postcode: str, department: str) -> set[str]:
    """Kinds of the active lists naming the postcode or its whole department."""
    if not postcode and not department:
        return set()
    condition = Q(postcode=postcode) if postcode else Q(pk__in=[])
    if department:
        condition |= Q(department=department)
    return set(
        TerritoryArea.objects.filter(condition, territory_list__is_active=True).values_list(
            "territory_list__kind", flat=True
        )
    )


def territories_of(user_ids) -> dict[int, dict[str, str]]:
    """{user id: {kind: source}} for many households, from their address and their valid attestations."""
    user_ids = set(user_ids)
    found: dict[int, dict[str, str]] = {pk: {} for pk in user_ids}
    profiles = dict(HouseholdProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "postcode"))
    departments = dict(
        HouseholdProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "department")
    )
    areas = TerritoryArea.objects.filter(territory_list__is_active=True).filter(
        Q(postcode__in=set(profiles.values())) | Q(department__in=set(departments.values()))
    )
    by_postcode: dict[str, set[str]] = {}
    by_department: dict[str, set[str]] = {}
    for postcode, department, kind in areas.values_list("postcode", "department", "territory_list__kind"):
        if postcode:
            by_postcode.setdefault(postcode, set()).add(kind)
        else:
            by_department.setdefault(department, set()).add(kind)
    for pk in user_ids:
        for kind in by_postcode.get(profiles.get(pk), set()) | by_department.get(departments.get(pk), set()):
            found[pk][kind] = TerritorySource.ADDRESS
    for household_id, kind in (
        TerritoryAttestation.objects.valid()
        .filter(household_id__in=user_ids)
        .values_list("household_id", "kind")
    ):
        found[household_id].setdefault(kind, TerritorySource.ATTESTATION)
    return found


def territory_points(entries) -> dict[int, int]:
    """Waitlist points of each entry for its household's territories, by its programme's weights."""
    entries = [e for e in entries if e.beneficiary_id]
    if not entries:
        return {}
    weights = {
        w.programme_id: w
        for w in TerritoryWeights.objects.filter(programme_id__in={e.programme_id for e in entries})
    }
    if not weights:
        return {}
    territories = territories_of(e.beneficiary_id for e in entries)
    return {
        e.pk: weights[e.programme_id].points(territories.get(e.beneficiary_id, {}))
        for e in entries
        if e.programme_id in weights
    }


@transaction.atomic
def attest(*, actor: User, household: User, kinds: list[str]) -> list[TerritoryAttestation]:
    """A referrer, under a running mandate covering eligibility, attests the household's territories.

    The new answer replaces the organisation's previous attestations for this household (a box unticked is
    withdrawn)."""
    try:
        mandate = acting_mandate(actor=actor, household=household, scope=MandateScope.ELIGIBILITY)
    except NotFound:
        raise NotFound(_("Foyer introuvable ou sans mandat actif pour l’éligibilité.")) from None
    if mandate is None:
        # The household itself: its own word is a declaration, never a priority.
        raise NotFound()
    unknown = set(kinds) - set(TerritoryKind.values)
    if unknown:
        raise InvalidInput(_("Type de territoire inconnu."))
    TerritoryAttestation.objects.valid().filter(
        household=household, referrer_organisation=mandate.referrer_organisation
    ).update(revoked_at=timezone.now())
    created = [
        TerritoryAttestation.objects.create(
            household=household,
            kind=kind,
            attested_by=actor,
            referrer_organisation=mandate.referrer_organisation,
            mandate=mandate,
        )
        for kind in sorted(set(kinds))
    ]
    MandateJournalEntry.log(
        mandate=mandate,
        actor=actor,
        action=JournalAction.ATTESTATION,
        facts={"kind": "territories", "territories": sorted(set(kinds))},
    )
    return created


@transaction.atomic
def revoke_attestation(*, attestation: TerritoryAttestation) -> TerritoryAttestation:
    """Staff withdraw an attestation (the admin's « Retirer »): it counts no more from now on, and stays withdrawn;
    the referrer attests again if it still holds."""
    attestation = TerritoryAttestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.revoked_at is not None:
        raise Conflict(_("Cette attestation est déjà retirée."), code="attestation_revoked")
    attestation.revoked_at = timezone.now()
    attestation.save(update_fields=["revoked_at"])
    return attestation


def read_territories(facts: dict) -> str:
    """An attestation's journal entry in the reader's language (eligibility.journal_facts)."""
    kinds = [kind for kind in facts.get("territories", ()) if kind in TerritoryKind.values]
    labels = ", ".join(str(TerritoryKind(kind).label) for kind in kinds)
    return _("Territoire : %(labels)s") % {"labels": labels or _("aucun")}
