"""The handover receipt (PDF, reportlab): the device, its warranty, and whom to call.

The receipt is the household's paper: it is written in the household's language (reuse.accounts.emails), whoever
prints it (the workshop's technician at the counter, a referrer), as the printed sign-in code sheet is; the rows
and sections other apps add are drawn under that language too. What people typed (names, addresses) is shown as
typed.
"""

import io
from datetime import timedelta

from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from inventory.opening_hours import opening_hours_of
from reuse import places
from reuse.accounts.emails import language_of
from reuse.claims.services.reservations import warranty_months
from reuse.claims.signals import handover_receipt_rows
from reuse.money import format_euros
from reuse.pdf import day, paragraph

# Apps above claims add sections to the receipt (a list of flowables per receiver) without claims importing them.
receipt_sections = Signal()


def paper_language(claim) -> str:
    """The language of the claim's papers: the household's, or for an association the member who claimed."""
    return language_of(claim.beneficiary if claim.beneficiary_id else claim.claimed_by)


def warranty_line(months: int, until) -> str:
    return ngettext("%(months)s mois, jusqu’au %(day)s", "%(months)s mois, jusqu’au %(day)s", months) % {
        "months": months,
        "day": day(until),
    }


def handover_receipt_pdf(claim) -> bytes:
    """The receipt in the household's language, whatever the language of whoever prints it."""
    language = paper_language(claim)
    with translation.override(language):
        return _build(claim, language)


def _build(claim, language: str) -> bytes:
    device = claim.device
    workshop = device.workshop
    handed = places.at_place(claim.handed_over_at or timezone.now(), workshop)
    months = warranty_months()
    until = (handed + timedelta(days=30 * months)).date()
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    title = _("Reçu de remise n° %(number)s") % {"number": claim.pk}
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="Rebond", lang=language, leftMargin=20 * mm
    )
    rows = [
        (_("Appareil"), f"{device.get_type_display()} {device.brand} {device.model}".strip()),
        (_("Étiquette / n° de série"), f"{device.asset_tag} / {device.serial or '-'}"),
        (_("État (grade)"), device.get_grade_display() if device.grade else "-"),
        (_("Prix solidaire"), format_euros(claim.price_cents)),
        (_("Chèque numérique"), format_euros(claim.voucher_cents)),
        (_("Remis le"), places.when_at(handed, workshop, _("j F Y à H:i"))),
    ]
    extra = [
        row
        for _receiver, answer in handover_receipt_rows.send(sender=type(claim), claim=claim)
        for row in answer
    ]
    if not any(key == "warranty" for key, _label, _value in extra):
        rows.append((_("Garantie"), warranty_line(months, until)))
    rows.append((_("Bénéficiaire"), claim.claimant_label))
    rows += [(label, value) for _key, label, value in extra]
    contact = [workshop.name, workshop.address, f"{workshop.postcode} {workshop.city}"]
    if workshop.phone:
        contact.append(_("Tél. %(phone)s") % {"phone": workshop.phone})
    if workshop.email:
        contact.append(workshop.email)
    hours = opening_hours_of(workshop)
    if hours:
        contact.append(_("Horaires : %(hours)s") % {"hours": " ; ".join(hours)})
    story = [
        paragraph(title, styles["Title"]),
        paragraph(_("Rebond — réemploi solidaire du numérique"), styles["Normal"]),
        Spacer(1, 8 * mm),
        Table(
            [[paragraph(name, styles["Normal"]), paragraph(value, styles["Normal"])] for name, value in rows],
            colWidths=[55 * mm, 110 * mm],
        ),
        Spacer(1, 8 * mm),
        paragraph(_("En cas de panne pendant la garantie, contactez l’atelier :"), styles["Heading3"]),
        *[paragraph(line, styles["Normal"]) for line in contact],
    ]
    for _receiver, flowables in receipt_sections.send(sender=None, claim=claim, styles=styles):
        story += [Spacer(1, 6 * mm), *flowables]
    doc.build(story)
    return buffer.getvalue()
