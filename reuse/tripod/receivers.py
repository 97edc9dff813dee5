"""Answers to the signals claims sends: the handover receipt lists the nearest mediation places."""

from xml.sax.saxutils import escape

from django.dispatch import receiver
from reportlab.platypus import Paragraph

from reuse.claims.receipts import receipt_sections
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
        Paragraph("Pour apprendre à s’en servir, près de chez vous :", styles["Heading3"]),
        Paragraph(
            escape(
                "Distances à vol d’oiseau depuis le centre de la commune ou du département : approximatives."
            ),
            styles["Normal"],
        ),
    ]
    for place, km in places:
        line = f"{place.name} — {place.address}, {place.postcode} {place.commune} (environ {km:.0f} km)"
        if place.phone:
            line += f" — Tél. {place.phone}"
        flowables.append(Paragraph(escape(line), styles["Normal"]))
    return flowables
