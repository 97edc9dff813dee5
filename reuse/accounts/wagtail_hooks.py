"""Back-office for organisations and memberships (listing filters, search, the approve action), API tokens and
the email outbox."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.users.views import api_tokens as wagtail_tokens

from reuse.accounts import admin_identifiers, backends, services, tokens
from reuse.accounts.admin_unsent import UNSENT_TASKS
from reuse.accounts.enums import NotificationState, OrganisationStatus
from reuse.accounts.models import Membership, Notification, Organisation, User
from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import (
    DeleteView,
    ObjectAction,
    ReadOnlyPolicy,
    SuperuserWritesPolicy,
    listing,
    refuse_delete,
    register_group,
    register_policy,
    register_viewsets,
    still_referenced,
)
from reuse.bounds import whole_number
from reuse.errors import Forbidden
from reuse.policy.accounts import accounts_beyond, groups_beyond, membership_refused


class ApproveOrganisationView(ConfirmObjectActionView):
    """GET asks for confirmation; POST approves through the accounts service (which emails the organisation)."""

    template_name = "accounts/admin/approve_organisation.html"
    page_title = gettext_lazy("Approuver une organisation")
    object_context_name = "organisation"

    def act(self, request):
        organisation = services.approve_organisation(
            organisation=self.object, by=request.user, lifts_suspension=True
        )
        return _("« %(name)s » est approuvée.") % {"name": organisation.name}


class SuspendOrganisationView(ConfirmObjectActionView):
    """GET says what suspending does; POST suspends through the accounts service."""

    template_name = "accounts/admin/suspend_organisation.html"
    page_title = gettext_lazy("Suspendre une organisation")
    object_context_name = "organisation"

    def act(self, request):
        organisation = services.suspend_organisation(organisation=self.object, by=request.user)
        return _("« %(name)s » est suspendue.") % {"name": organisation.name}


# What staff may correct on an organisation; its status moves only through the approve and suspend actions.
ORGANISATION_FORM_FIELDS = [
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
]


class MembershipForm(WagtailAdminModelForm):
    """A staff member's memberships are a superuser's to give, change or end (services.refuse_membership): the
    person the row is for now, and the one it was for."""

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self):
        cleaned = super().clean()
        for account in {cleaned.get("user"), self.instance.user if self.instance.pk else None} - {None}:
            try:
                services.refuse_membership(by=self.for_user, account=account)
            except Forbidden as exc:
                raise ValidationError(exc.message, code=exc.code) from exc
        return cleaned


class MembershipDeleteView(DeleteView):
    """Ending a staff member's membership is a superuser's too (the form guards adding and changing)."""

    def form_valid(self, form):
        if membership_refused(self.request.user, self.object.user):
            messages.error(
                self.request, _("Seul un super-utilisateur met fin à l’adhésion d’un membre de l’équipe.")
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


register_group(
    gettext_lazy("Organisations"),
    "group",
    listing(
        (Organisation, "organisations", "group", gettext_lazy("Organisations")),
        list_display=["name", "kind", "department", "city", "status", "approved_at"],
        list_filter=["kind", "status", "department"],
        search_fields=["name", "siret", "rna", "city", "email"],
        form_fields=ORGANISATION_FORM_FIELDS,
        inspect_view_enabled=True,
        object_actions=(
            ObjectAction(
                "approve",
                gettext_lazy("Approuver"),
                "check",
                ApproveOrganisationView,
                shown=lambda organisation: organisation.status != OrganisationStatus.APPROVED,
                priority=5,
            ),
            # The status moves through these two actions only: approving dates, signs and tells the organisation.
            ObjectAction(
                "suspend",
                gettext_lazy("Suspendre"),
                "warning",
                SuspendOrganisationView,
                shown=lambda organisation: organisation.status == OrganisationStatus.APPROVED,
                priority=6,
            ),
        ),
    ),
    listing(
        (Membership, "memberships", "user", gettext_lazy("Adhésions")),
        list_display=["user", "organisation", "role", "created"],
        list_filter=["role", "organisation__kind"],
        search_fields=["user__email", "user__search_name", "organisation__name"],
        get_form_class=lambda viewset, for_update=False: MembershipForm,
        delete_view_class=MembershipDeleteView,
    ),
    menu_order=200,
)


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


class APITokenCreateView(wagtail_tokens.CreateView):
    """Wagtail's form, offering only the owners accounts.tokens.owners_for_new_tokens allows (another is an
    invalid choice, and Wagtail's own check still runs when the form is saved)."""

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "manageable_users": tokens.owners_for_new_tokens(self.request.user),
        }


class APITokenViewSet(wagtail_tokens.APITokenViewSet):
    """Staff list, create, rename and revoke API tokens (Settings menu). Revoking keeps the row for the audit.
    Wagtail's own name: its page showing a new token links back to « wagtailusers_api_tokens:index »."""

    name = "wagtailusers_api_tokens"
    url_prefix = "api-tokens"
    menu_label = gettext_lazy("Jetons d’API")
    index_view_class = APITokenIndexView
    add_view_class = APITokenCreateView


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return APITokenViewSet()


# --- Email outbox ---------------------------------------------------------------------------------------------


# The outbox is written by the tasks; staff whose group lets them read it re-queue a failed or given-up email.
register_policy(ReadOnlyPolicy, Notification)


class RetryNotificationView(ConfirmObjectActionView):
    permission_required = "view"
    template_name = "accounts/admin/retry_notification.html"
    page_title = gettext_lazy("Réessayer un e-mail")
    object_context_name = "notification"

    def act(self, request):
        services.requeue_notification(notification=self.object)
        return _("L’e-mail à %(email)s est remis en file.") % {"email": self.object.to_email}


# Every email Rebond owes someone, with its state, attempts, last error and next attempt (read-only).
NotificationViewSet = listing(
    (Notification, "notifications", "mail", gettext_lazy("E-mails envoyés")),
    menu_order=910,
    add_to_settings_menu=True,
    list_display=["to_email", "subject", "state", "attempts", "next_attempt_at", "last_error", "created"],
    list_filter=["state", "template"],
    search_fields=["to_email", "subject"],
    form_fields=[],
    inspect_view_enabled=True,
    inspect_view_fields=[
        "to_email",
        "template",
        "subject",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created",
        "sent_at",
    ],
    object_actions=(
        ObjectAction(
            "retry",
            gettext_lazy("Réessayer maintenant"),
            "rotate",
            RetryNotificationView,
            shown=lambda notification: (
                notification.state in (NotificationState.FAILED, NotificationState.GAVE_UP)
            ),
            priority=5,
        ),
    ),
)


register_viewsets(NotificationViewSet, UNSENT_TASKS)


# Wagtail's own delete screens (a user, any bulk delete) know nothing of our protected links and answered a
# server error for a user who had declared a lot or signed a mandate: they refuse first, saying why. A person
# who leaves keeps their history; staff deactivate the account instead (« Actif » on its edit page).
@hooks.register("before_delete_user")
def keep_a_user_with_history(request, user):
    if still_referenced([user]):
        return refuse_delete(request, [user], reverse("wagtailusers_users:edit", args=[user.pk]))
    return None


@hooks.register("before_bulk_action")
def keep_rows_with_history_on_bulk_delete(request, action_type, objects, action):
    if action_type != "delete":
        return None
    kept = still_referenced(objects)
    if kept:
        # Back to the listing the selection was made in (Wagtail's bulk forms pass it), else the dashboard.
        return refuse_delete(
            request, kept, get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
        )
    return None


# Wagtail's bulk « Set active state » writes is_active with one UPDATE: no save, so neither the cached row of the
# person (reuse.accounts.backends) nor their API tokens would hear of it. A person staff deactivated kept their
# open sessions for up to an hour and got their tokens back with the account.
@hooks.register("after_bulk_action")
def end_access_of_users_set_inactive(request, action_type, objects, action):
    if action_type != "set_active_state":
        return None
    ids = [user.pk for user in objects]
    backends.forget(*ids)
    tokens.end_tokens(*User.objects.filter(pk__in=ids, is_active=False).values_list("pk", flat=True))
    return None


# A group's permissions are what its members may do: a member who could edit groups would widen their own.
register_policy(SuperuserWritesPolicy, Group)


# Wagtail lets anyone who may edit accounts tick « Administrator », change a superuser's or a coordinator's
# password, or put people (themselves included) in any group: a staff member of a limited group could make themselves
# everything. That status stays with superusers, no one edits the account of someone holding rights they do not
# hold, and no one gives a group wider than their own rights.
def _refuse_grant(request, message):
    messages.error(request, message)
    return redirect("wagtailusers_users:index")


def _refuse_groups_beyond(request, groups):
    beyond = groups_beyond(request.user, groups)
    if not beyond:
        return None
    return _refuse_grant(
        request,
        _(
            "Seul un super-utilisateur donne le groupe « %(groups)s » : il ouvre le back-office ou donne des "
            "droits que vous n’avez pas."
        )
        % {"groups": ", ".join(group.name for group in beyond)},
    )


def _wider_grant(request, current_groups, *, own=False):
    if request.method != "POST" or request.user.is_superuser:
        return None
    if request.POST.get("is_superuser"):
        return _refuse_grant(request, _("Seul un super-utilisateur fait d’un compte un super-utilisateur."))
    ids = {pk for pk in map(whole_number, request.POST.getlist("groups")) if pk is not None}
    if own and ids != set(current_groups):
        return _refuse_grant(request, _("Seul un super-utilisateur change vos groupes."))
    return _refuse_groups_beyond(request, Group.objects.filter(pk__in=ids).exclude(pk__in=current_groups))


@hooks.register("before_create_user")
def grant_no_more_than_held_on_create(request):
    return _wider_grant(request, [])


def _refuse_accounts_beyond(request, accounts):
    """A superuser's or a peer's account is theirs and superusers' alone: its password or email changed, it would be
    the editor's; deleted, deactivated or regrouped, its holder is locked out by an equal (accounts_beyond)."""
    beyond = accounts_beyond(request.user, accounts)
    if not beyond:
        return None
    return _refuse_grant(
        request,
        _(
            "Seul un super-utilisateur agit sur le compte de %(accounts)s : un super-utilisateur ou quelqu’un qui a "
            "autant de droits que vous, ou plus."
        )
        % {"accounts": ", ".join(_("« %(object)s »") % {"object": account} for account in beyond)},
    )


@hooks.register("before_edit_user")
def grant_no_more_than_held_on_edit(request, user):
    refused = _refuse_accounts_beyond(request, [user])
    if refused is not None:
        return refused
    return (
        _wider_grant(request, list(user.groups.values_list("pk", flat=True)), own=user.pk == request.user.pk)
        or admin_identifiers.password_for_someone_else(request, user)
        or admin_identifiers.address_asked(request, user)
    )


@hooks.register("before_delete_user")
def delete_no_equal_nor_superior(request, user):
    return _refuse_accounts_beyond(request, [user])


# Wagtail's bulk actions on accounts ask for the permission to change (or delete) accounts, nothing about whose.
ACCOUNT_BULK_ACTIONS = ("delete", "set_active_state", "assign_role")


@hooks.register("before_bulk_action")
def grant_no_more_than_held_in_bulk(request, action_type, objects, action):
    if request.method != "POST" or action_type not in ACCOUNT_BULK_ACTIONS or action.model is not User:
        return None
    refused = _refuse_accounts_beyond(request, objects)
    if refused is not None or action_type != "assign_role":
        return refused
    role = whole_number(request.POST.get("role"))
    return None if role is None else _refuse_groups_beyond(request, Group.objects.filter(pk=role))
