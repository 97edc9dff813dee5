from reuse.aftercare.services import follow_ups
from reuse.claims import handover as counter
from reuse.claims.services import reservations
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory


def handed_over(*, household=None, workshop=None, **device):
    """A claim handed over at the counter, the way a workshop does it; returns (claim, technician)."""
    household = household or eligible()
    device = DeviceFactory(listed=True, **({"workshop": workshop} if workshop else {}), **device)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    technician = member_of(device.workshop)
    if claim.amount_due_cents:
        reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=household)
        claim.refresh_from_db()
    counter.hand_over(
        actor=technician,
        claim_id=claim.pk,
        code=claim.handover_code,
        collected_cents=claim.amount_due_cents or None,
    )
    claim.refresh_from_db()
    return claim, technician


def answer_by_code(follow_up, usage):
    """The household answers its follow-up with the receipt's code: how much the device serves, nothing else."""
    return follow_ups.answer_follow_up(
        follow_up_id=follow_up.pk,
        actor=None,
        channel="code",
        usage=usage,
        purposes=[],
        has_problem=False,
        wants_help=False,
    )
