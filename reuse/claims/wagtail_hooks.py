"""Staff back-office for claims, vouchers and payments, and the "expiring today" panel of the admin home."""

from datetime import timedelta

import django_filters
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import (
    NoAddDeletePolicy,
    ObjectAction,
    ReadOnlyPolicy,
    listing,
    register_group,
    register_policy,
)
from reuse.claims import handover as counter
from reuse.claims.admin_hand_refunds import GIVE_BACK_BY_HAND, HAND_REFUNDS, LEDGER
from reuse.claims.admin_stripe_events import STRIPE_EVENTS
from reuse.claims.enums import OPEN_CLAIM_STATUSES, RefundStatus
from reuse.claims.models import Claim, Payment, Refund, Voucher, VoucherFunder
from reuse.claims.services import reservations

# A claim is made by its claimant and moves only through its lifecycle (device, voucher, refund, history): staff
# read it and act on it through the actions below, never add, delete or edit its status.
register_policy(NoAddDeletePolicy, Claim, exact_class=True)
# A payment is recorded before Stripe is called and moves with its events: never added nor deleted by hand.
register_policy(NoAddDeletePolicy, Payment, exact_class=True)
# A refund follows what Stripe says of it: staff read it (those « Non parvenu au foyer » are owed to a household,
# to be given back another way), never write it.
register_policy(ReadOnlyPolicy, Refund, exact_class=True)


class ClaimFilterSet(WagtailFilterSet):
    handover_locked = django_filters.BooleanFilter(
        label=_("Remise bloquée (codes erronés)"), method="filter_handover_locked", widget=BooleanRadioSelect
    )

    def filter_handover_locked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(handover_locked_at__isnull=not value)

    class Meta:
        model = Claim
        fields = ["status", "pay_at_workshop"]


class UnlockHandoverView(ConfirmObjectActionView):
    """GET asks for confirmation; POST lets the workshop's counter try the claimant's code again."""

    template_name = "claims/admin/unlock_handover.html"
    page_title = _("Débloquer une remise")
    object_context_name = "claim"

    def act(self, request):
        claim = counter.unlock(claim=self.object, by=request.user)
        return _("La demande n° %(number)s peut de nouveau être remise.") % {"number": claim.pk}


class CancelClaimView(ConfirmObjectActionView):
    """GET says what cancelling does; POST cancels through the lifecycle, as the claimant's own cancel does."""

    template_name = "claims/admin/cancel_claim.html"
    page_title = _("Annuler une demande")
    object_context_name = "claim"

    def get_context_data(self, **kwargs):
        cancellable, not_now = self.object.status in OPEN_CLAIM_STATUSES, ""
        if cancellable:
            # A card being confirmed: the page says what to do instead of offering a cancel the POST refuses.
            refusal = reservations.card_confirming_refusal(
                self.object, cancelling=True, actor=self.request.user
            )
            not_now = refusal.message if refusal is not None else ""
        return {**super().get_context_data(**kwargs), "cancellable": cancellable, "not_now": not_now}

    def act(self, request):
        claim = reservations.cancel_claim(
            claim_id=self.object.pk,
            actor=request.user,
            reason=self.posted_reason(request) or _("Annulée par l’équipe Rebond."),
        )
        return _("La demande n° %(number)s est annulée.") % {"number": claim.pk}


register_group(
    _("Demandes et paiements"),
    "tasks",
    listing(
        (Claim, "claims/claim", "tasks", _("Demandes")),
        filterset_class=ClaimFilterSet,
        list_display=[
            "__str__",
            "status",
            "price_cents",
            "voucher_cents",
            "expires_at",
            "handover_locked_at",
            "created",
        ],
        # The handover code is the claimant's proof at the counter: staff neither search nor read it.
        search_fields=["device__asset_tag", "beneficiary__email", "beneficiary__search_name"],
        form_fields=[],
        inspect_view_enabled=True,
        inspect_view_fields_exclude=["handover_code"],
        add_to_admin_menu=False,
        object_actions=(
            ObjectAction(
                "unlock_handover",
                _("Débloquer la remise"),
                "lock-open",
                UnlockHandoverView,
                shown=lambda claim: bool(claim.handover_locked_at),
                priority=5,
            ),
            ObjectAction(
                "cancel",
                _("Annuler la demande"),
                "cross",
                CancelClaimView,
                shown=lambda claim: claim.status in OPEN_CLAIM_STATUSES,
                priority=10,
            ),
            GIVE_BACK_BY_HAND,
        ),
    ),
    listing(
        (Payment, "claims/payment", "doc-full", _("Paiements")),
        list_display=["__str__", "claim", "method", "status", "stripe_payment_intent", "created"],
        list_filter=["method", "status"],
        search_fields=["stripe_payment_intent", "idempotency_key"],
        form_fields=["failure_message"],
        inspect_view_enabled=True,
        # Stripe's client secret confirms the payment from the claimant's browser: staff do not read it.
        inspect_view_fields_exclude=["client_secret"],
    ),
    listing(
        (Refund, "claims/refund", "rotate", _("Remboursements")),
        list_display=[
            "__str__",
            "payment",
            "status",
            "amount_cents",
            "attempts",
            "failure_reason",
            "stripe_refund",
            "created",
        ],
        list_filter=["status"],
        search_fields=["stripe_refund"],
        form_fields=[],
        inspect_view_enabled=True,
    ),
    HAND_REFUNDS,
    LEDGER,
    STRIPE_EVENTS,
    listing(
        (Voucher, "claims/voucher", "tag", _("Chèques numériques")),
        list_display=["code", "funder", "face_value_cents", "expires_on", "redeemed_at"],
        list_filter=["funder", "expires_on"],
        search_fields=["code"],
        form_fields=["code", "face_value_cents", "funder", "expires_on"],
    ),
    listing(
        (VoucherFunder, "claims/funder", "group", _("Financeurs")),
        list_display=["name", "organisation", "contact_email"],
        search_fields=["name"],
        form_fields=["name", "organisation", "contact_email"],
    ),
)


class ExpiringTodayPanel(Component):
    name = "claims_expiring_today"
    order = 150

    def render_html(self, parent_context=None):
        now = timezone.now()
        end = timezone.localtime(now).replace(hour=23, minute=59, second=59)
        claims = (
            Claim.objects.expiring_between(now - timedelta(seconds=1), end)
            .select_related("device", "device__workshop")
            .order_by("expires_at")[:20]
        )
        return render_to_string("claims/admin_expiring_panel.html", {"claims": claims})


class LockedHandoversPanel(Component):
    """Claims locked at a counter after repeated wrong codes: staff check with the claimant, then unlock."""

    name = "claims_locked_handovers"
    order = 140

    def render_html(self, parent_context=None):
        claims = (
            Claim.objects.handover_locked()
            .select_related("device", "device__workshop")
            .order_by("-handover_locked_at")[:20]
        )
        return render_to_string("claims/admin_locked_panel.html", {"claims": claims})


class RefundsNotReceivedPanel(Component):
    """Refunds Stripe reported failed or canceled, or never took and left to staff: money owed to a household, to
    give back another way (the same card would refuse it again, so nothing asks Stripe by itself)."""

    name = "claims_refunds_not_received"
    order = 145

    def render_html(self, parent_context=None):
        refunds, payments = [], set()
        for refund in (
            Refund.objects.filter(status__in=[RefundStatus.NOT_RECEIVED, RefundStatus.NEEDS_STAFF])
            .select_related("payment__claim__device__workshop")
            .order_by("-created")[:200]
        ):
            # Each payment once, while the team still owes it (not given back by hand or from the Dashboard since).
            refund.owed = refund.payment.owed_another_way_cents()
            if refund.owed > 0 and refund.payment_id not in payments and len(refunds) < 20:
                payments.add(refund.payment_id)
                refunds.append(refund)
        return render_to_string("claims/admin_refunds_panel.html", {"refunds": refunds})


@hooks.register("construct_homepage_panels")
def add_expiring_panel(request, panels):
    panels.append(ExpiringTodayPanel())
    panels.append(LockedHandoversPanel())
    panels.append(RefundsNotReceivedPanel())
