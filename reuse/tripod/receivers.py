"""Answers to what claims does: the handover receipt lists the nearest mediation places; a claim that ends
without a device gives its first-use seats back."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from reuse.claims.enums import ClaimStatus
from reuse.claims.models import ClaimEvent
from reuse.claims.receipts import receipt_sections
from reuse.pdf import paragraph
from reuse.tripod.enums import BookingStatus
from reuse.tripod.models import SessionBooking
from reuse.tripod.services import nearest_places

CLAIM_ENDS_WITHOUT_DEVICE = (ClaimStatus.CANCELLED, ClaimStatus.EXPIRED)


@receiver(post_save, sender=ClaimEvent)
def seats_go_back_when_the_claim_ends(sender, instance: ClaimEvent, created, **kwargs):
    """A cancelled or expired claim brings no device to learn: its seats at first-use sessions are freed for
    other households (the claim page stops offering sessions at the same moment)."""
    if created and instance.to_status in CLAIM_ENDS_WITHOUT_DEVICE:
        SessionBooking.objects.filter(claim_id=instance.claim_id, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED
        )


@receiver(receipt_sections)
def nearest_places_on_receipt(sender, claim, styles, **kwargs):
    profile = getattr(claim.beneficiary, "household", None) if claim.beneficiary_id else None
    if profile is None:
        return []
    origin, places = nearest_places(profile.postcode)
    if not places:
        return []
    flowables = [
        paragraph("Pour apprendre à s’en servir, près de chez vous :", styles["Heading3"]),
        paragraph(
            "Distances à vol d’oiseau depuis le centre de la commune ou du département : approximatives.",
            styles["Normal"],
        ),
    ]
    for place, km in places:
        line = f"{place.name} — {place.address}, {place.postcode} {place.commune} (environ {km:.0f} km)"
        if place.phone:
            line += f" — Tél. {place.phone}"
        flowables.append(paragraph(line, styles["Normal"]))
    return flowables
