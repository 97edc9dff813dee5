"""The claim lifecycle of PRODUCT.md: the table of allowed moves and the one function that applies them."""

from django.utils import timezone

from reuse.claims.enums import ClaimStatus as S
from reuse.claims.models import Claim, ClaimEvent
from reuse.journal import check_transition

ALLOWED = {
    S.WAITLISTED: {S.RESERVED, S.CANCELLED},
    S.RESERVED: {S.CONFIRMED, S.CANCELLED, S.EXPIRED},
    S.CONFIRMED: {S.HANDED_OVER, S.CANCELLED},
    S.HANDED_OVER: {S.RETURNED},  # only through a warranty ticket (reuse.aftercare)
    S.CANCELLED: set(),
    S.EXPIRED: set(),
    S.RETURNED: set(),
}


def move_claim(claim: Claim, *, to: str, actor, note: str = "", **changes) -> Claim:
    """Apply a move to a claim the caller has locked (select_for_update) and write the history row."""
    check_transition(ALLOWED, claim.status, to, S)
    previous = claim.status
    claim.status = to
    if to == S.CONFIRMED:
        claim.confirmed_at = timezone.now()
    fields = {"status", "confirmed_at"} if to == S.CONFIRMED else {"status"}
    for name, value in changes.items():
        setattr(claim, name, value)
        fields.add(name)
    claim.save(update_fields=sorted(fields))
    ClaimEvent.log(claim=claim, actor=actor, from_status=previous, to_status=to, note=note)
    return claim
