"""Answers to the signals claims sends: the handover receipt lists the nearest mediation places."""

from django.dispatch import receiver

from reuse.claims.receipts import receipt_sections
from reuse.pdf import paragraph
from reuse.tripod.services import nearest_places


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
