"""Territories hook into the waitlist's points and into each handover, without claims importing this app; a
person's copy of their data lists their attestations, and closing their account ends those still running."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from donations.signals import report_sections
from reuse.accounts.models import User
from reuse.accounts.signals import account_closing, personal_data_requested
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, ClaimEvent
from reuse.claims.signals import waitlist_points
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.journal_facts import FACT_READERS
from reuse.policy.mandates import session_allows
from reuse.territories.enums import TerritoryKind
from reuse.territories.models import ClaimTerritory, TerritoryAttestation
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
    # Each reused device once, in the territory of whoever holds it (a swapped household is not counted for the
    # device it gave back as well as for its replacement): the devices of the page's reused total.
    handed = ClaimTerritory.objects.filter(claim__in=Claim.objects.holding().filter(device__in=devices))
    for kinds in handed.values_list("kinds", flat=True):
        for kind in kinds or []:
            if kind in counts:
                counts[kind] += 1
        if not kinds:
            outside += 1
    rows = [(TerritoryKind(kind).label, n) for kind, n in counts.items()]
    return [{"template": "territories/_impact_section.html", "rows": rows, "outside": outside}]


@receiver(personal_data_requested, sender=User)
def attestations_data(sender, user, **kwargs):
    """A referrer's word on where the household lives, part of its eligibility: in a session opened with a printed
    code, only under a mandate covering eligibility (reuse.policy.mandates.session_allows)."""
    attestations = TerritoryAttestation.objects.filter(household=user).select_related("referrer_organisation")
    if not session_allows(user, MandateScope.ELIGIBILITY):
        attestations = attestations.none()
    return "territories", [
        {
            "kind": attestation.get_kind_display(),
            "organisation": attestation.referrer_organisation.name,
            "attested": attestation.created.isoformat(),
            "expires_at": attestation.expires_at.isoformat() if attestation.expires_at else None,
            "revoked_at": attestation.revoked_at.isoformat() if attestation.revoked_at else None,
        }
        for attestation in attestations.order_by("created", "pk")
    ]


@receiver(account_closing, sender=User)
def attestations_end_with_the_account(sender, user, **kwargs):
    """An attestation gives points on the waiting list, which a closed account leaves: those running end. The rows
    stay, as the decisions do, with the handed-over claims whose territory they gave."""
    TerritoryAttestation.objects.valid().filter(household=user).update(revoked_at=timezone.now())
