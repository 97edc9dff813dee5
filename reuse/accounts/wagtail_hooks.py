"""Back-office for organisations and memberships (listing filters, search, the approve action), API tokens and
the email outbox."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.users.views import api_tokens as wagtail_tokens

from reuse.accounts import services, tokens
from reuse.accounts.enums import NotificationState, OrganisationStatus
from reuse.accounts.models import Membership, Notification, Organisation
from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import ModelViewSet


class OrganisationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != OrganisationStatus.APPROVED and self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Approuver"),
                    url=reverse("organisations:approve", args=[instance.pk]),
                    icon_name="check",
                    priority=5,
                )
            )
        return buttons


class ApproveOrganisationView(ConfirmObjectActionView):
    """GET asks for confirmation; POST approves through the accounts service (which emails the organisation)."""

    model = Organisation
    template_name = "accounts/admin/approve_organisation.html"
    header_icon = "check"
    page_title = gettext_lazy("Approuver une organisation")
    index_url_name = "organisations:index"
    index_label = gettext_lazy("Organisations")
    action_label = gettext_lazy("Approuver")
    object_context_name = "organisation"

    def post(self, request, *args, **kwargs):
        organisation = services.approve_organisation(organisation=self.object, by=request.user)
        messages.success(request, _("« %(name)s » est approuvée.") % {"name": organisation.name})
        return redirect("organisations:index")


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = gettext_lazy("Organisations")
    url_prefix = "organisations"
    name = "organisations"
    index_view_class = OrganisationIndexView
    list_display = ["name", "kind", "department", "city", "status", "approved_at"]
    list_filter = ["kind", "status", "department"]
    search_fields = ["name", "siret", "rna", "city", "email"]
    form_fields = [
        "kind",
        "name",
        "siret",
        "rna",
        "address",
        "postcode",
        "city",
        "department",
        "email",
        "phone",
        "status",
    ]
    inspect_view_enabled = True

    @property
    def approve_view(self):
        return self.construct_view(ApproveOrganisationView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("approve/<int:pk>/", self.approve_view, name="approve")]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = gettext_lazy("Adhésions")
    url_prefix = "memberships"
    name = "memberships"
    list_display = ["user", "organisation", "role", "created"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    form_fields = ["user", "organisation", "role"]


class OrganisationsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Organisations")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationsGroup()


# --- API tokens ------------------------------------------------------------------------------------------------


def _token_expiry(token) -> str:
    return date_format(timezone.localtime(tokens.expires_at(token)), "SHORT_DATE_FORMAT")


def _token_state(token) -> str:
    if token.revoked_at is not None:
        return _("Révoqué")
    if not token.user.is_active:
        return _("Compte désactivé")
    if not tokens.is_usable(token):
        return _("Expiré")
    return _("Actif")


class APITokenIndexView(wagtail_tokens.IndexView):
    """Wagtail's token listing, with when each token expires and whether it still opens the API."""

    @cached_property
    def columns(self):
        return [
            *super().columns,
            Column("expires_at", label=gettext_lazy("Expire le"), accessor=_token_expiry),
            Column("state", label=gettext_lazy("État"), accessor=_token_state),
        ]


class APITokenViewSet(wagtail_tokens.APITokenViewSet):
    """Staff list, create, rename and revoke API tokens (Settings menu). Revoking keeps the row for the audit."""

    name = "api_tokens"
    url_prefix = "api-tokens"
    menu_label = gettext_lazy("Jetons d’API")
    index_view_class = APITokenIndexView


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return APITokenViewSet()


# --- Email outbox ---------------------------------------------------------------------------------------------


class NotificationPolicy(ModelPermissionPolicy):
    """The outbox is written by the tasks; staff read it and re-queue a failed or given-up email."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return bool(user.is_active and user.is_staff)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Notification, NotificationPolicy(Notification))


class NotificationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.state in (NotificationState.FAILED, NotificationState.GAVE_UP):
            buttons.append(
                MenuItem(
                    _("Réessayer maintenant"),
                    url=reverse("notifications:retry", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


class RetryNotificationView(ConfirmObjectActionView):
    model = Notification
    permission_required = "view"
    template_name = "accounts/admin/retry_notification.html"
    header_icon = "mail"
    page_title = gettext_lazy("Réessayer un e-mail")
    index_url_name = "notifications:index"
    index_label = gettext_lazy("E-mails envoyés")
    action_label = gettext_lazy("Réessayer maintenant")
    object_context_name = "notification"

    def post(self, request, *args, **kwargs):
        services.requeue_notification(notification=self.object)
        messages.success(
            request, _("L’e-mail à %(email)s est remis en file.") % {"email": self.object.to_email}
        )
        return redirect("notifications:index")


class NotificationViewSet(ModelViewSet):
    """Every email Rebond owes someone, with its state, attempts, last error and next attempt (read-only)."""

    model = Notification
    icon = "mail"
    menu_label = gettext_lazy("E-mails envoyés")
    menu_order = 910
    add_to_settings_menu = True
    url_prefix = "notifications"
    name = "notifications"
    index_view_class = NotificationIndexView
    list_display = ["to_email", "subject", "state", "attempts", "next_attempt_at", "last_error", "created"]
    list_filter = ["state", "template"]
    search_fields = ["to_email", "subject"]
    form_fields = ["state"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "to_email",
        "template",
        "subject",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created",
        "sent_at",
    ]

    @property
    def retry_view(self):
        return self.construct_view(RetryNotificationView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("retry/<int:pk>/", self.retry_view, name="retry")]


@hooks.register("register_admin_viewset")
def register_notification_viewset():
    return NotificationViewSet()
