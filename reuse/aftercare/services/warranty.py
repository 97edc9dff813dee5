"""How long a handed-over device is under warranty, what moves the end, and when the questionnaire falls due.

The law (Code de la consommation, garantie légale de conformité, as written by ordonnance n° 2021-1247 of
29 September 2021, in force since 1 January 2022; Légifrance, articles L217-3 to L217-14):
- L217-3: a professional seller answers for the defects of conformity that appear within two years of the
  delivery. This holds for used goods too: France did not take up the option of Directive (EU) 2019/771,
  article 10(6), of a shorter period (not under one year) agreed for second-hand goods. What is shorter for a
  used (refurbished) good is the presumption that the defect existed at delivery: 12 months instead of 24
  (L217-7). The guarantee applies to a sale; a device given for nothing is not sold.
- L217-13, first paragraph: a good repaired under that guarantee has it extended by six months.
- L217-13, second paragraph: when the consumer asked for the repair and the seller brought the good into
  conformity by replacing it instead, a new period of the guarantee runs for the replacement from the day it
  is delivered.
Sources read: Légifrance, Code de la consommation L217-3 (version LEGIARTI000044142579), L217-7, L217-13; the
consumer associations' notes on used and refurbished goods (ADC France « Garantie légale de conformité et biens
d'occasion », UFC-Que Choisir de la Manche, 17 January 2022). The shared reference facts have no entry on it.

Rebond's rules from these:
- The programme's promise (AftercareRules, DEFAULT_WARRANTY_MONTHS unless staff set otherwise) runs from the
  handover, in calendar months (Europe/Paris). A device a price was asked for (a sale by the workshop, a
  professional; paid by the household or by a voucher) is never under warranty for less than the law's two
  years. The law speaks of consumers; Rebond gives the same two years to an association that bought.
- Each repair under warranty (a ticket closed « repaired ») moves the end six months later; the programme
  extends its own promise the same way for a device given for nothing.
- A swap is the workshop's answer to a household that asked for its device to be made good: the replacement
  has its own warranty from its own handover, as a sold good when the first device of its chain was sold (it
  is free because it replaces that one).
"""

import calendar
from datetime import date

from django.utils import timezone

from reuse import places
from reuse.aftercare.enums import TicketStatus
from reuse.aftercare.models import DEFAULT_FOLLOW_UP_DAYS, DEFAULT_WARRANTY_MONTHS, AftercareRules, Ticket
from reuse.claims.models import Claim

LEGAL_WARRANTY_MONTHS = 24  # L217-3
REPAIR_EXTENSION_MONTHS = 6  # L217-13


def rules_for(programme) -> tuple[int, int]:
    """(warranty months, follow-up days) of a programme; the defaults when staff set nothing."""
    rules = AftercareRules.objects.filter(programme=programme).first()
    if rules is None:
        return DEFAULT_WARRANTY_MONTHS, DEFAULT_FOLLOW_UP_DAYS
    return rules.warranty_months, rules.follow_up_days


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def swap_chain(claim: Claim, *, lock: bool = False) -> list[Claim]:
    """The claim and those it replaces through swaps, newest first (the first device the household received
    last). `lock` locks the earlier claims' rows (select_for_update) for a caller that writes on them."""
    chain, seen = [claim], {claim.pk}
    claims = Claim.objects.select_for_update() if lock else Claim.objects
    while True:
        previous = (
            Ticket.objects.filter(replacement_claim_id=chain[-1].pk, status=TicketStatus.SWAPPED)
            .values_list("claim_id", flat=True)
            .first()
        )
        if previous is None or previous in seen:
            return chain
        seen.add(previous)
        chain.append(claims.get(pk=previous))


def was_sold(claim: Claim) -> bool:
    """A price was asked for the first device of the claim's chain (whoever paid it: the household, a voucher)."""
    return swap_chain(claim)[-1].price_cents > 0


def warranty_months(claim: Claim, *, repairing: bool = False) -> int:
    """How many months the claim's device is under warranty from its handover (see the module's rules);
    `repairing`: counting the repair being closed now."""
    months, _days = rules_for(claim.programme)
    if was_sold(claim):
        months = max(months, LEGAL_WARRANTY_MONTHS)
    repairs = Ticket.objects.filter(claim_id=claim.pk, status=TicketStatus.REPAIRED).count() + repairing
    return months + REPAIR_EXTENSION_MONTHS * repairs


def warranty_until(claim: Claim, *, repairing: bool = False) -> date:
    """The last day of the warranty of the claim's device, counted from the handover day where it was handed over
    (its workshop's time, reuse.places: Europe/Paris, or La Réunion's, Guadeloupe's…)."""
    handed = places.day_at(claim.handed_over_at or timezone.now(), claim)
    return add_months(handed, warranty_months(claim, repairing=repairing))


def refresh_warranty_end(claim: Claim) -> date:
    """After a repair: every ticket of the claim shows the end that now holds (ticket page, staff's admin)."""
    until = warranty_until(claim)
    Ticket.objects.filter(claim_id=claim.pk).update(warranty_until=until)
    return until
