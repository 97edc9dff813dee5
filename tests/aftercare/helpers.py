from datetime import datetime, time

import time_machine
from django.urls import reverse
from django.utils import timezone

from reuse.aftercare.enums import ReturnedTo
from reuse.aftercare.services import follow_ups, tickets, triage
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


def report_from_the_receipt(client, claim, description):
    """A problem reported with the claim's number and the code printed on its receipt (the page open to all)."""
    return client.post(
        reverse("aftercare:open"),
        {"claim_number": claim.pk, "code": claim.handover_code, "description": description},
    )


def answer_by_code(follow_up, usage, on=None):
    """The household answers its follow-up with the receipt's code on the day `on` (the day it falls due unless
    told): how much the device serves, nothing else."""
    with time_machine.travel(at_noon(on or follow_up.due_on)):
        return follow_ups.answer_follow_up(
            follow_up_id=follow_up.pk,
            actor=None,
            channel="code",
            usage=usage,
            purposes=[],
            has_problem=False,
            wants_help=False,
        )


def at_noon(day):
    """Noon of `day` in Paris: a moment that is that day whatever the time zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def three_months_later(follow_up):
    """Travel to the day the questionnaire falls due."""
    return time_machine.travel(at_noon(follow_up.due_on))


def swap_for_a_spare(claim, technician, description):
    """A ticket on `claim`'s device, swapped for a listed spare of the same workshop, the replacement handed over:
    returns the replacement's claim."""
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description=description)
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop)
    triage.swap(actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.PARTS)
    ticket.refresh_from_db()
    replacement = ticket.replacement_claim
    counter.hand_over(actor=technician, claim_id=replacement.pk, code=replacement.handover_code)
    replacement.refresh_from_db()
    return replacement
