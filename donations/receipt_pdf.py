"""The issued tax receipt (cerfa 16216) as an A4 PDF, drawn only from what was frozen when it was issued."""

import io
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Spacer, Table

from donations.models import TaxReceipt
from reuse import places
from reuse.money import format_euros
from reuse.pdf import document, paragraph, ruled

# Bitstream Vera ships inside reportlab: embedded in the PDF, it draws "€", "’", "«", "œ" whatever the reader's fonts.
FONT, FONT_BOLD = "RebondVera", "RebondVera-Bold"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def euros_in_figures(cents: int) -> str:
    """The amount in French as 1 234,50 €, whatever the reader's language: a French tax document. Spaces are
    no-break ones so that it never wraps; the font has no narrow one, so the thousands' space is a plain one."""
    return format_euros(cents, language="fr").replace("\u202f", "\u00a0")


def _replacement_notes(receipt: TaxReceipt, text, style) -> list:
    """What a cancelled receipt and its replacement say of each other, so that neither is filed alone."""
    notes = []
    if receipt.cancelled_at is not None:
        notes.append(
            text(
                _("REÇU ANNULÉ le %(date)s : %(reason)s. Il n’ouvre droit à aucune réduction d’impôt.")
                % {
                    "date": places.day_at(receipt.cancelled_at, receipt.lot.workshop).strftime("%d/%m/%Y"),
                    "reason": receipt.cancel_reason,
                },
                style,
            )
        )
    if receipt.content.get("replaces"):
        notes.append(
            text(
                _("Ce reçu annule et remplace le reçu n° %(number)s.")
                % {"number": receipt.content["replaces"]}
            )
        )
    return notes


def render_pdf(receipt: TaxReceipt) -> bytes:
    """The issued receipt as an A4 PDF, drawn only from what was frozen at issue: the same bytes every time."""
    _register_fonts()
    with translation.override("fr"):  # a French tax document, whatever the language of the interface
        return _build_pdf(receipt)


def _build_pdf(receipt: TaxReceipt) -> bytes:
    content = receipt.content
    recipient, donor = content["recipient"], content["donor"]
    issued = places.day_at(
        receipt.created, receipt.lot.workshop
    )  # signed the day it is where the workshop is
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("receipt-body", fontName=FONT, fontSize=9.5, leading=12)
    label = body.clone("receipt-label", fontName=FONT_BOLD)
    title = styles["Title"].clone("receipt-title", fontName=FONT_BOLD, fontSize=13, leading=16)
    heading = styles["Heading3"].clone("receipt-heading", fontName=FONT_BOLD, spaceBefore=8, spaceAfter=3)
    buffer = io.BytesIO()
    doc = document(
        buffer,
        margins=(18, 16, 16),
        title=_("Reçu fiscal n° %(number)s") % {"number": receipt.number},
        author=recipient["name"],
        subject=_("Cerfa n° 16216*02 — article 238 bis du code général des impôts"),
        creator="Rebond",
        lang="fr",
        initialFontName=FONT,
        invariant=True,  # no time stamp nor random document id: two downloads give the same file
    )

    def text(value, style=body):
        return paragraph(value, style)

    def fields(rows) -> Table:
        table = Table(
            [[text(name, label), text(value or "—")] for name, value in rows],
            colWidths=[52 * mm, 122 * mm],
        )
        table.setStyle(ruled(labels="column", font=FONT))
        return table

    story = [
        text(_("Cerfa n° 16216*02"), body),
        text(
            _(
                "Reçu des dons et versements effectués par les entreprises au titre de l’article 238 bis du code général des impôts"
            ),
            title,
        ),
        text(_("Numéro d’ordre du reçu : %(number)s") % {"number": receipt.number}, label),
        *_replacement_notes(receipt, text, label),
        text(_("Bénéficiaire des versements"), heading),
        fields(
            [
                (_("Nom"), recipient["name"]),
                (_("SIRET"), recipient["siret"]),
                (_("Adresse"), recipient["address"]),
                (_("Objet"), recipient["purpose"]),
                (_("Qualité"), recipient["type"]),
            ]
        ),
        text(_("Donateur"), heading),
        fields(
            [
                (_("Dénomination"), donor["name"]),
                (_("Forme juridique"), donor["legal_form"]),
                (_("SIREN"), donor["siren"]),
                (_("Adresse"), donor["address"]),
            ]
        ),
        text(_("Don"), heading),
        fields(
            [
                (_("Date du don"), date.fromisoformat(content["date"]).strftime("%d/%m/%Y")),
                (_("Montant en chiffres"), euros_in_figures(receipt.amount_cents)),
                (_("Montant en toutes lettres"), content["amount_words"]),
                (_("Nature du don"), content["nature"]),
                (_("Forme du don"), content["form"]),
            ]
        ),
        Spacer(1, 6 * mm),
        text(
            _(
                "Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit "
                "à la réduction d’impôt prévue à l’article 238 bis du code général des impôts."
            )
        ),
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                text(
                    _("Fait le %(date)s, pour %(name)s.")
                    % {"date": issued.strftime("%d/%m/%Y"), "name": recipient["name"]}
                ),
                text(_("Nom, qualité et signature du signataire :"), label),
                Spacer(1, 28 * mm),
            ]
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
