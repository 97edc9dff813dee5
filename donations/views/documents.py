"""What a lot produces for its donor without reading its devices: the tax receipt (its request and its PDF).
The documents built from the devices (certificate, exports, impact) are in inventory/donor_reports/."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from donations import receipt_pdf, receipts
from donations.forms import (
    TaxReceiptForm,
)
from donations.models import TaxReceipt, TaxReceiptReview
from reuse.money import format_euros
from reuse.policy.donations import donor_lots, get_lot
from reuse.views import domain_errors, private_download


@login_required
def tax_receipt(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    status = receipts.receipt_status(lot)
    form = TaxReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = None
        with domain_errors(form=form) as attempt:
            outcome = receipts.issue_tax_receipt(
                lot=lot, user=request.user, donor_legal_form=form.cleaned_data["legal_form"]
            )
        if attempt.ok:
            if isinstance(outcome, TaxReceiptReview):
                messages.info(
                    request,
                    _(
                        "La valeur déclarée de %(n)s appareil(s) dépasse la valeur plausible de son type : "
                        "l’équipe Rebond vérifie le lot avant l’émission du reçu."
                    )
                    % {"n": outcome.outliers},
                )
            return redirect("donations:tax_receipt", lot.pk)
    receipt = TaxReceipt.objects.valid().filter(lot=lot).select_related("replaces").first()
    values = receipts.valuation(lot) if status in ("available", "review") else None
    return render(
        request,
        "donations/tax_receipt.html",
        {
            "lot": lot,
            "status": status,
            "form": form,
            "receipt": receipt,
            "cancelled": TaxReceipt.objects.filter(lot=lot, replaced_by__isnull=True).exclude(
                cancelled_at=None
            ),
            "declared_euros": format_euros(receipts.declared_value_cents(lot)),
            "valuation": values,
            "received_declared_euros": format_euros(values["declared_cents"]) if values else "",
            "valued_euros": format_euros(values["value_cents"]) if values else "",
            "receipt_euros": format_euros(receipt.amount_cents) if receipt else "",
            # The receipt itself is shown as the PDF writes it: in French.
            "receipt_figures": receipt_pdf.euros_in_figures(receipt.amount_cents) if receipt else "",
            "gift_date": date.fromisoformat(receipt.content["date"]) if receipt else None,
        },
    )


@login_required
def tax_receipt_pdf(request, pk: int):
    """The issued receipt as a PDF to file: read from the frozen receipt, never issued nor recomputed here."""
    lot = get_lot(donor_lots(request.user), pk)
    receipt = TaxReceipt.objects.valid().filter(lot=lot).first()
    if receipt is None:
        raise Http404(_("Aucun reçu fiscal n’a encore été émis pour ce lot."))
    return private_download(
        receipt_pdf.render_pdf(receipt),
        filename=f"recu-fiscal-{receipt.number}.pdf",
        content_type="application/pdf",
    )
