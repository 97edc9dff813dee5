"""The handover receipt (PDF, reportlab): the device, its warranty, and whom to call."""

import io
from datetime import timedelta

from django.dispatch import Signal
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from inventory.opening_hours import opening_hours_of
from reuse.claims.services.reservations import warranty_months
from reuse.claims.signals import handover_receipt_rows
from reuse.money import format_euros
from reuse.pdf import paragraph

# Apps above claims add sections to the receipt (a list of flowables per receiver) without claims importing them.
receipt_sections = Signal()


def handover_receipt_pdf(claim) -> bytes:
    device = claim.device
    workshop = device.workshop
    handed = timezone.localtime(claim.handed_over_at or timezone.now())
    months = warranty_months()
    until = (handed + timedelta(days=30 * months)).date()
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Reçu de remise n° {claim.pk}", author="Rebond", leftMargin=20 * mm
    )
    rows = [
        ["Appareil", f"{device.get_type_display()} {device.brand} {device.model}".strip()],
        ["Étiquette / n° de série", f"{device.asset_tag} / {device.serial or '-'}"],
        ["État (grade)", device.get_grade_display() if device.grade else "-"],
        ["Prix solidaire", format_euros(claim.price_cents, language="fr")],
        ["Chèque numérique", format_euros(claim.voucher_cents, language="fr")],
        ["Remis le", handed.strftime("%d/%m/%Y %H:%M")],
        ["Garantie", f"{months} mois, jusqu’au {until.strftime('%d/%m/%Y')}"],
        ["Bénéficiaire", claim.claimant_label],
    ]
    extra = [
        row
        for _receiver, answer in handover_receipt_rows.send(sender=type(claim), claim=claim)
        for row in answer
    ]
    if any(key == "warranty" for key, _label, _value in extra):
        rows = [row for row in rows if row[0] != "Garantie"]
    rows += [[label, value] for _key, label, value in extra]
    contact = [workshop.name, workshop.address, f"{workshop.postcode} {workshop.city}"]
    if workshop.phone:
        contact.append(f"Tél. {workshop.phone}")
    if workshop.email:
        contact.append(workshop.email)
    hours = opening_hours_of(workshop)
    if hours:
        contact.append(f"Horaires : {' ; '.join(hours)}")
    story = [
        paragraph(f"Reçu de remise n° {claim.pk}", styles["Title"]),
        paragraph("Rebond — réemploi solidaire du numérique", styles["Normal"]),
        Spacer(1, 8 * mm),
        Table(
            [[paragraph(name, styles["Normal"]), paragraph(value, styles["Normal"])] for name, value in rows],
            colWidths=[55 * mm, 110 * mm],
        ),
        Spacer(1, 8 * mm),
        paragraph("En cas de panne pendant la garantie, contactez l’atelier :", styles["Heading3"]),
        *[paragraph(line, styles["Normal"]) for line in contact],
    ]
    for _receiver, flowables in receipt_sections.send(sender=None, claim=claim, styles=styles):
        story += [Spacer(1, 6 * mm), *flowables]
    doc.build(story)
    return buffer.getvalue()
