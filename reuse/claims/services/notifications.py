"""What a claimant is told.

Payments, handover and after-care tell the claimant through `notify_claim` too: one rule for who hears about a
claim (the household, the referrer who acts for it, or the association).
"""

from reuse.accounts.emails import organisation_language
from reuse.accounts.services import notify
from reuse.claims import texts
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.transitions import move_claim
from reuse.policy.claims import can_see_handover_code


def notify_claim(claim: Claim, template: str, **extra):
    """Tell the claimant; a household without email is told through whoever claimed for them (a referrer)."""
    context = {"claim": claim, "device": claim.device, "workshop": claim.device.workshop, **extra}
    recipients = []
    if claim.beneficiary_id and claim.beneficiary.email:
        recipients.append(claim.beneficiary)
    # The referrer who claimed is told while a mandate covering claims still lets them act (emails carry the code).
    if (
        claim.claimed_by_id != claim.beneficiary_id
        and claim.claimed_by.email
        and can_see_handover_code(claim.claimed_by, claim)
    ):
        recipients.append(claim.claimed_by)
    if not recipients and claim.organisation_id and claim.organisation.email:
        notify(
            template=template,
            context=context,
            to_email=claim.organisation.email,
            language_if_unknown=organisation_language(claim.organisation),
        )
    for user in recipients:
        notify(template=template, context=context, user=user)


def notify_confirmed(claim: Claim):
    """A confirmed claim is also ready to collect: both emails go together, whoever confirmed it."""
    notify_claim(claim, "claim_confirmed")
    notify_claim(claim, "claim_ready")


def after_reservation(claim: Claim, actor):
    if claim.amount_due_cents == 0:
        confirm(claim, actor, note=texts.NOTHING_TO_PAY())
    else:
        notify_claim(claim, "claim_reserved")


def confirm(claim: Claim, actor, note=""):
    move_claim(claim, to=ClaimStatus.CONFIRMED, actor=actor, note=note)
    notify_confirmed(claim)
