"""The one-page orientation sheet (PDF): the offer, how to subscribe, the documents to bring, and the reference
of the eligibility decision, in plain French and large type for someone who will take it to a shop or a phone.

Every text that reaches reportlab's markup is escaped: offers are typed by staff, names by people.
"""

import io

from django.utils import timezone
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from reuse.eligibility.enums import Criterion
from reuse.money import format_euros
from reuse.pdf import document, paragraph

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=14, leading=19, spaceAfter=4)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=22, leading=27, spaceAfter=8)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=21, spaceBefore=8
)


def _p(text: str, style=BODY):
    return paragraph(text, style)


def _money(cents: int) -> str:
    return format_euros(cents, language="fr") if cents else "aucun"


def orientation_sheet_pdf(*, offer, decision) -> bytes:
    person = decision.beneficiary
    buffer = io.BytesIO()
    doc = document(buffer, margins=(18, 16, 14), title=f"Fiche d’orientation — {offer.name}", author="Rebond")
    story = [
        _p(f"{offer.provider} : {offer.name}", TITLE),
        _p(f"Pour : {person.get_full_name() or person.email}"),
        _p(offer.summary),
        _p("Combien ça coûte", HEADING),
        _p(f"{format_euros(offer.monthly_price_cents, language='fr')} par mois."),
        _p(
            f"Engagement : {offer.commitment_months} mois." if offer.commitment_months else "Sans engagement."
        ),
        _p(
            f"Frais de mise en service : {_money(offer.activation_fee_cents)}. Dépôt : {_money(offer.deposit_cents)}."
        ),
        _p("Comment s’abonner", HEADING),
    ]
    if offer.subscribe_phone:
        story.append(_p(f"Par téléphone : {offer.subscribe_phone}"))
    if offer.subscribe_shop:
        story.append(_p(f"En boutique : {offer.subscribe_shop}"))
    if offer.subscribe_url:
        story.append(_p(f"Sur internet : {offer.subscribe_url}"))
    story.append(_p("Les papiers à apporter", HEADING))
    story += [_p(f"• {line}") for line in offer.document_lines]
    story += [
        _p("Votre droit", HEADING),
        _p(
            f"Décision d’éligibilité Rebond n° {decision.pk}, valable jusqu’au "
            f"{decision.last_valid_day:%d/%m/%Y}."
        ),
        _p(f"Critère : {', '.join(offer_label for offer_label in _shared_criteria(offer, decision))}."),
        Spacer(1, 4 * mm),
        _p(
            f"Prix vérifiés par Rebond le {offer.checked_on:%d/%m/%Y} ; ils peuvent changer. "
            f"Fiche imprimée le {timezone.localdate():%d/%m/%Y}."
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _shared_criteria(offer, decision) -> list[str]:
    shared = [
        code for code in decision.criteria if code in (offer.criteria or []) and code in Criterion.values
    ]
    return [str(Criterion(code).label) for code in shared] or ["-"]
