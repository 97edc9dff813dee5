"""The admin's record of money given back by hand: a card refund Stripe reported failed is owed to the household
another way; once staff paid it (a bank transfer, cash at the counter, a cheque) they say so on the claim, so that
no one pays it twice. The records are listed beside the refunds, read-only, and so is the ledger of every claim's
money (where staff find a dispute lost, money taken for another amount and given back, or given back by hand)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import EurosColumn, ObjectAction, ReadOnlyPolicy, listing, register_policy
from reuse.claims.enums import HandRefundMethod
from reuse.claims.models import HandRefund, LedgerEntry
from reuse.claims.services import hand_refunds
from reuse.money import EurosField

# Written once with its ledger line by the action below: read, never added, changed nor deleted in the admin.
register_policy(ReadOnlyPolicy, HandRefund, exact_class=True)
register_policy(ReadOnlyPolicy, LedgerEntry, exact_class=True)


class GiveBackByHandForm(forms.Form):
    amount = EurosField(label=_("Montant rendu"))
    method = forms.ChoiceField(label=_("Comment"), choices=HandRefundMethod.choices)
    reference = forms.CharField(label=_("Référence du virement ou du reçu"), max_length=100)


class GiveBackByHandView(ConfirmObjectActionView):
    """GET says what is still owed another way and asks how it was given back; POST records it once."""

    template_name = "claims/admin/give_back_by_hand.html"
    page_title = _("Enregistrer un remboursement rendu autrement")
    object_context_name = "claim"
    form_class = GiveBackByHandForm
    form_error_field = "amount"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "owed": self.object.owed_another_way_cents}

    def act_with_form(self, request, form):
        hand_refunds.record(
            claim_id=self.object.pk,
            by=request.user,
            amount_cents=form.cleaned_data["amount"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
        )
        return self.back_to_listing(request, _("Le remboursement rendu autrement est enregistré."))


GIVE_BACK_BY_HAND = ObjectAction(
    "give_back_by_hand",
    _("Rendu autrement (virement, espèces)"),
    "rotate",
    GiveBackByHandView,
    shown=lambda claim: claim.owed_another_way_cents > 0,
    priority=15,
)

HAND_REFUNDS = listing(
    (HandRefund, "claims/handrefund", "rotate", _("Rendus autrement")),
    list_display=["__str__", "payment", "amount_cents", "method", "reference", "given_by", "created"],
    list_filter=["method"],
    search_fields=["reference"],
    form_fields=[],
    inspect_view_enabled=True,
)

LEDGER = listing(
    (LedgerEntry, "claims/ledger", "list-ul", _("Journal des paiements")),
    # Signed (money out of Rebond is negative), in euros as every amount the admin shows.
    list_display=["claim", "kind", EurosColumn("amount_cents", label=_("montant")), "reference", "created"],
    list_filter=["kind"],
    search_fields=["reference"],
    form_fields=[],
    inspect_view_enabled=True,
)
