"""The one-page orientation sheet (PDF): the offer, how to subscribe, the documents to bring, and the reference
of the eligibility decision, in plain words and large type for someone who will take it to a shop or a phone.

The sheet is the household's: it is written in the household's language (reuse.accounts.emails), whoever prints
it (its referrer may read Rebond in another), as the printed sign-in code sheet is. What staff typed about the
offer (its name, what it includes, the documents) is shown as typed.

Every text that reaches reportlab's markup is escaped: offers are typed by staff, names by people.
"""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from reuse.accounts.emails import language_of
from reuse.eligibility.enums import Criterion
from reuse.money import format_euros
from reuse.pdf import day, document, paragraph

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=14, leading=19, spaceAfter=4)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=22, leading=27, spaceAfter=8)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=21, spaceBefore=8
)


def _p(text: str, style=BODY):
    return paragraph(text, style)


def _money(cents: int) -> str:
    return format_euros(cents) if cents else _("aucun")


def orientation_sheet_pdf(*, offer, decision) -> bytes:
    """The sheet in the household's language, whatever the language of whoever prints it."""
    language = language_of(decision.beneficiary)
    with translation.override(language):
        return _build(offer=offer, decision=decision, language=language)


def _build(*, offer, decision, language: str) -> bytes:
    person = decision.beneficiary
    buffer = io.BytesIO()
    doc = document(
        buffer,
        margins=(18, 16, 14),
        title=_("Fiche d’orientation — %(offer)s") % {"offer": offer.name},
        author="Rebond",
        lang=language,
    )
    story = [
        _p(_("%(provider)s : %(offer)s") % {"provider": offer.provider, "offer": offer.name}, TITLE),
        _p(_("Pour : %(name)s") % {"name": person.get_full_name() or person.email}),
        _p(offer.summary),
        _p(_("Combien ça coûte"), HEADING),
        _p(_("%(amount)s par mois.") % {"amount": format_euros(offer.monthly_price_cents)}),
        _p(
            _("Engagement : %(months)s mois.") % {"months": offer.commitment_months}
            if offer.commitment_months
            else _("Sans engagement.")
        ),
        _p(
            _("Frais de mise en service : %(fee)s. Dépôt : %(deposit)s.")
            % {"fee": _money(offer.activation_fee_cents), "deposit": _money(offer.deposit_cents)}
        ),
        _p(_("Comment s’abonner"), HEADING),
    ]
    if offer.subscribe_phone:
        story.append(_p(_("Par téléphone : %(phone)s") % {"phone": offer.subscribe_phone}))
    if offer.subscribe_shop:
        story.append(_p(_("En boutique : %(shop)s") % {"shop": offer.subscribe_shop}))
    if offer.subscribe_url:
        story.append(_p(_("Sur internet : %(url)s") % {"url": offer.subscribe_url}))
    story.append(_p(_("Les papiers à apporter"), HEADING))
    story += [_p(f"• {line}") for line in offer.document_lines]
    story += [
        _p(_("Votre droit"), HEADING),
        _p(
            _("Décision d’éligibilité Rebond n° %(number)s, valable jusqu’au %(day)s.")
            % {"number": decision.pk, "day": day(decision.last_valid_day)}
        ),
        _p(_("Critère : %(criteria)s.") % {"criteria": ", ".join(_shared_criteria(offer, decision))}),
        Spacer(1, 4 * mm),
        _p(
            _("Prix vérifiés par Rebond le %(checked)s ; ils peuvent changer. Fiche imprimée le %(printed)s.")
            % {"checked": day(offer.checked_on), "printed": day(timezone.localdate())}
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _shared_criteria(offer, decision) -> list[str]:
    shared = [
        code for code in decision.criteria if code in (offer.criteria or []) and code in Criterion.values
    ]
    return [str(Criterion(code).label) for code in shared] or ["-"]
