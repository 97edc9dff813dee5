"""Territories hook into the waitlist's points and into each handover, without claims importing this app."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from donations.signals import report_sections
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import ClaimEvent
from reuse.claims.signals import waitlist_points
from reuse.eligibility.journal_facts import FACT_READERS
from reuse.territories.enums import TerritoryKind
from reuse.territories.models import ClaimTerritory
from reuse.territories.services import read_territories, territories_of, territory_points

# The mandate journal reads a territory attestation in the reader's language.
FACT_READERS["territories"] = read_territories


@receiver(waitlist_points)
def points_for_fragile_territories(sender, entries, **kwargs):

    return territory_points(entries)


@receiver(post_save, sender=ClaimEvent)
def territory_at_handover(sender, instance: ClaimEvent, created, **kwargs):
    """Record the household's territories when its device is handed over (the impact page counts these)."""
    if (
        not created
        or instance.to_status != ClaimStatus.HANDED_OVER
        or instance.from_status == ClaimStatus.HANDED_OVER
    ):
        return

    claim = instance.claim
    kinds = (
        sorted(territories_of([claim.beneficiary_id]).get(claim.beneficiary_id, {}))
        if claim.beneficiary_id
        else []
    )
    ClaimTerritory.objects.update_or_create(claim=claim, defaults={"kinds": kinds})


@receiver(report_sections)
def devices_by_territory(sender, devices, page, **kwargs):
    """The public impact page: devices handed over to households of each kind of fragile territory."""
    if page != "public":
        return []

    counts = {kind: 0 for kind in TerritoryKind.values}
    outside = 0
    handed = ClaimTerritory.objects.filter(
        claim__device__in=devices, claim__status__in=[ClaimStatus.HANDED_OVER, ClaimStatus.RETURNED]
    )
    for kinds in handed.values_list("kinds", flat=True):
        for kind in kinds or []:
            if kind in counts:
                counts[kind] += 1
        if not kinds:
            outside += 1
    rows = [(TerritoryKind(kind).label, n) for kind, n in counts.items()]
    return [{"template": "territories/_impact_section.html", "rows": rows, "outside": outside}]
