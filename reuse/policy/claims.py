"""Who may see and act on claims. Outside `visible_claims`, a claim is a 404."""

from django.db.models import Q
from django.http import Http404

from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.claims.models import Claim, WaitlistEntry
from reuse.eligibility.enums import MandateScope
from reuse.policy.accounts import acting_organisation, is_staff, organisations_of_kind
from reuse.policy.inventory import workshop_ids
from reuse.policy.mandates import households_covered, session_allows


def claimant_claims(user: User):
    """Claims the person may act on as the claimant: their own, their association's, their mandated households'.

    Their own only in a session that covers claims (a session opened with a sign-in code under a mandate that
    does not cover them sees none); a referrer's households only under a running mandate covering claims.
    """
    if not user.is_authenticated:
        return Claim.objects.none()
    condition = Q(organisation__in=organisations_of_kind(user, OrganisationKind.ASSOCIATION)) | Q(
        beneficiary__in=households_covered(user, MandateScope.CLAIMS)
    )
    if session_allows(user, MandateScope.CLAIMS):
        condition |= Q(beneficiary=user)
    return Claim.objects.filter(condition)


def own_waitlist(user: User):
    """The person's own places on the waiting list: claims waiting for their device, read only in a session that
    covers claims, as claimant_claims reads their claims."""
    if not user.is_authenticated or not session_allows(user, MandateScope.CLAIMS):
        return WaitlistEntry.objects.none()
    return WaitlistEntry.objects.filter(beneficiary=user)


def workshop_claims(user: User):
    """Claims on devices held by the person's approved workshops: what they hand over.

    Only approved ones: a suspended workshop loses its counter with its stock (its reserved devices wait until
    staff lift the suspension), and a pending one has no stock yet.
    """
    if not user.is_authenticated:
        return Claim.objects.none()
    return Claim.objects.filter(device__workshop_id__in=workshop_ids(user))


def visible_claims(user: User):
    if not user.is_authenticated:
        return Claim.objects.none()
    if is_staff(user):
        return Claim.objects.all()
    return (claimant_claims(user) | workshop_claims(user)).distinct()


def get_claimant_claim(user: User, pk, *related: str) -> Claim:
    """A claim the person acts on as the claimant (404 otherwise), with `related` read in the same query."""
    claim = claimant_claims(user).filter(pk=pk).select_related("device", "device__workshop", *related).first()
    if claim is None:
        raise Http404
    return claim


def get_visible_claim(user: User, pk) -> Claim:
    claim = visible_claims(user).filter(pk=pk).select_related("device", "device__workshop").first()
    if claim is None:
        raise Http404
    return claim


def can_hand_over(user: User, claim: Claim) -> bool:
    return workshop_claims(user).filter(pk=claim.pk).exists()


def can_see_handover_code(user: User, claim: Claim) -> bool:
    """The handover code is the claimant's proof at the counter: only the claimant side ever reads it (the
    household in a session covering claims, its referrer under a mandate covering claims, the association).
    Never the workshop that checks it, nor staff."""
    return claimant_claims(user).filter(pk=claim.pk).exists()


def is_funder_of(user: User, funder) -> bool:
    if is_staff(user):
        return True
    return funder.organisation_id is not None and funder.organisation.memberships.filter(user=user).exists()


def acting_association(user: User, chosen=None):
    """The association a claim is made for: the one a person in several chose (`organisation_id`), or their only
    one (reuse.policy.accounts.acting_organisation). A suspended one is still theirs: the claim then says why it is
    refused (reuse.claims.services.checks.resolve_claimant)."""
    return acting_organisation(
        user,
        OrganisationKind.ASSOCIATION,
        chosen,
        among=organisations_of_kind(user, OrganisationKind.ASSOCIATION),
    )
