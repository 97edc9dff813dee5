"""Usage and return rates per device type and grade: which grades come back, which ones serve.

Only counts leave this module: a follow-up's answers are never shown per household, and a group answered by
fewer than MIN_ANSWERS households shows no usage rate (a rate of one answer is one person's answer).
"""

from django.db.models import Count, Q

from inventory.enums import DeviceType
from reuse.aftercare.enums import Usage
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim

MIN_ANSWERS = 3
HANDED = (ClaimStatus.HANDED_OVER, ClaimStatus.RETURNED)


def _rate(part: int, whole: int):
    return round(100 * part / whole) if whole else None


def rates(claims=None) -> list[dict]:
    """One row per (type, grade): handed over, tickets and ticket rate, answers and usage rate at 3 months."""
    claims = (claims if claims is not None else Claim.objects.all()).filter(status__in=HANDED)
    rows = (
        claims.values("device__type", "device__grade")
        .annotate(
            handed=Count("pk", distinct=True),
            with_ticket=Count("pk", filter=Q(tickets__isnull=False), distinct=True),
            answered=Count("pk", filter=Q(follow_up__answered_at__isnull=False), distinct=True),
            in_use=Count(
                "pk",
                filter=Q(follow_up__usage__in=[Usage.DAILY, Usage.SOMETIMES]),
                distinct=True,
            ),
        )
        .order_by("device__type", "device__grade")
    )
    labels = dict(DeviceType.choices)
    result = []
    for row in rows:
        shown = row["answered"] >= MIN_ANSWERS
        result.append(
            {
                "type": row["device__type"],
                "type_label": labels.get(row["device__type"], row["device__type"]),
                "grade": row["device__grade"] or "-",
                "handed": row["handed"],
                "tickets": row["with_ticket"],
                "ticket_rate": _rate(row["with_ticket"], row["handed"]),
                "answered": row["answered"],
                "usage_rate": _rate(row["in_use"], row["answered"]) if shown else None,
            }
        )
    return result


def in_use_at_three_months(claims) -> dict:
    """For a donor's lot: how many of its handed-over devices were said in use at 3 months, out of the answers.
    Nothing under MIN_ANSWERS answers, so that a lot of two devices never tells one household's answer."""
    # Both counts in one query (a claim has at most one follow-up: no row is counted twice).
    figures = claims.filter(status__in=HANDED).aggregate(
        answered=Count("pk", filter=Q(follow_up__answered_at__isnull=False)),
        in_use=Count("pk", filter=Q(follow_up__usage__in=[Usage.DAILY, Usage.SOMETIMES])),
    )
    answered, in_use = figures["answered"], figures["in_use"]
    return {
        "answered": answered,
        "in_use": in_use if answered >= MIN_ANSWERS else None,
        "rate": _rate(in_use, answered) if answered >= MIN_ANSWERS else None,
        "min_answers": MIN_ANSWERS,
    }
