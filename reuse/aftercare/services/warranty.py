"""The programme's promise: how long the warranty runs and when the questionnaire falls due."""

import calendar
from datetime import date

from django.utils import timezone

from reuse.aftercare.models import DEFAULT_FOLLOW_UP_DAYS, DEFAULT_WARRANTY_MONTHS, AftercareRules
from reuse.claims.models import Claim


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


def warranty_until(claim: Claim) -> date:
    """The last day of the warranty, counted in calendar months from the handover day (Europe/Paris)."""
    handed = timezone.localdate(claim.handed_over_at or timezone.now())
    months, _days = rules_for(claim.programme)
    return add_months(handed, months)
