"""Staff back-office for claims, vouchers and payments, and the "expiring today" panel of the admin home."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup

from reuse.backoffice import ModelViewSet
from reuse.claims.models import Claim, Payment, Voucher, VoucherFunder


class ClaimViewSet(ModelViewSet):
    url_prefix = "claims/claim"
    url_namespace = "claims_claim"
    model = Claim
    icon = "tasks"
    menu_label = _("Demandes")
    list_display = ["__str__", "status", "price_cents", "voucher_cents", "expires_at", "created"]
    list_filter = ["status", "pay_at_workshop"]
    search_fields = ["handover_code", "device__asset_tag", "beneficiary__email", "beneficiary__last_name"]
    form_fields = ["status", "expires_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False


class PaymentViewSet(ModelViewSet):
    url_prefix = "claims/payment"
    url_namespace = "claims_payment"
    model = Payment
    icon = "doc-full"
    menu_label = _("Paiements")
    list_display = ["__str__", "claim", "method", "status", "stripe_payment_intent", "created"]
    list_filter = ["method", "status"]
    search_fields = ["stripe_payment_intent", "idempotency_key"]
    form_fields = ["failure_message"]
    inspect_view_enabled = True


class VoucherViewSet(ModelViewSet):
    url_prefix = "claims/voucher"
    url_namespace = "claims_voucher"
    model = Voucher
    icon = "tag"
    menu_label = _("Chèques numériques")
    list_display = ["code", "funder", "face_value_cents", "expires_on", "redeemed_at"]
    list_filter = ["funder", "expires_on"]
    search_fields = ["code"]
    form_fields = ["code", "face_value_cents", "funder", "expires_on"]


class VoucherFunderViewSet(ModelViewSet):
    url_prefix = "claims/funder"
    url_namespace = "claims_funder"
    model = VoucherFunder
    icon = "group"
    menu_label = _("Financeurs")
    list_display = ["name", "organisation", "contact_email"]
    search_fields = ["name"]
    form_fields = ["name", "organisation", "contact_email"]


class ClaimsGroup(ViewSetGroup):
    menu_label = _("Demandes et paiements")
    menu_icon = "tasks"
    items = (ClaimViewSet, PaymentViewSet, VoucherViewSet, VoucherFunderViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ClaimsGroup()


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


@hooks.register("construct_homepage_panels")
def add_expiring_panel(request, panels):
    panels.append(ExpiringTodayPanel())
