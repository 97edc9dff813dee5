"""API tokens (Wagtail's APIToken): which ones still open the API, and until when.

A token works while it is not revoked, is younger than API_TOKEN_TTL_DAYS and its owner is active. The API's
bearer authentication and the admin listing both read these rules, so that they cannot disagree. A token is
revoked when its owner's password changes, their account is deactivated or closed, they leave an organisation or
they join staff (see "When a token ends" below).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from wagtail.models import APIToken
from wagtail.users.utils import change_user_perm

from reuse.accounts.models import Membership, User


def token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_TTL_DAYS)


def expires_at(token: APIToken) -> datetime:
    return token.created + token_lifetime()


def usable_tokens(at: datetime | None = None):
    at = at or timezone.now()
    return APIToken.objects.filter(
        revoked_at__isnull=True, created__gt=at - token_lifetime(), user__is_active=True
    )


def token_for(request, key: str) -> APIToken | None:
    """The usable token `key` stands for, its user loaded; looked up once per request (the account's language is
    read from it before the API authenticates with it, see reuse.accounts.middleware)."""
    cached = getattr(request, "_api_token", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    token = (
        usable_tokens().select_related("user").filter(key_hash__in=APIToken.candidate_key_hashes(key)).first()
    )
    request._api_token = (key, token)
    return token


def bearer_holder(request) -> User | None:
    """Whose usable token an API request carries in `Authorization: Bearer …`, or None."""
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    token = token_for(request, key.strip())
    return token.user if token is not None else None


def is_usable(token: APIToken, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return token.revoked_at is None and expires_at(token) > at and token.user.is_active


def owners_for_new_tokens(issuer: User):
    """Whose token `issuer` may create in the admin. Whoever creates a token reads it once and keeps it: they can
    then act through the API as its owner, unseen. So: their own; with Wagtail's right to change users (what lets
    staff set anyone's password anyway), also an active person outside staff (a workshop's or a donor's tool);
    never another staff member, even for a superuser, whose token would let its creator act under their name."""
    own = Q(pk=issuer.pk)
    if issuer.has_perm(change_user_perm):
        own |= Q(is_staff=False, is_superuser=False, is_active=True)
    return User.objects.filter(own)


# When a token ends ------------------------------------------------------------------------------------------
# A token stands for a person's credentials and for the organisations they act for. A stolen token must die with
# them: a new password (reset link, change, admin), an account deactivated by staff or closed by its owner, a
# membership removed or moved. One rule, read from the rows themselves (User, Membership), so that every path that
# saves them (site forms, Wagtail's user and membership screens, services) ends the tokens; the Wagtail bulk
# action that deactivates with an UPDATE calls end_tokens() itself (reuse.accounts.wagtail_hooks).


def end_tokens(*user_ids) -> int:
    """Revoke every live token of these people; return how many were."""
    ids = [user_id for user_id in user_ids if user_id is not None]
    if not ids:
        return 0
    return APIToken.objects.filter(user_id__in=ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


# A promotion to staff ends the person's tokens too: one made for them earlier (by a coordinator, for their tool)
# was read by its maker and would now carry staff rights that maker was never given.
_ENDING_USER_FIELDS = {"password", "is_active", "is_staff", "is_superuser"}


def _user_saving(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not _ENDING_USER_FIELDS & set(update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values(*_ENDING_USER_FIELDS).first()
    instance._ends_api_tokens = before is not None and (
        before["password"] != instance.password
        or (before["is_active"] and not instance.is_active)
        or (instance.is_staff and not before["is_staff"])
        or (instance.is_superuser and not before["is_superuser"])
    )


def _user_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_ends_api_tokens", False):
        instance._ends_api_tokens = False
        end_tokens(instance.pk)


def _membership_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    before = sender.objects.filter(pk=instance.pk).values("user_id", "organisation_id").first()
    if before is not None and (before["user_id"], before["organisation_id"]) != (
        instance.user_id,
        instance.organisation_id,
    ):
        end_tokens(before["user_id"])


def _membership_deleted(sender, instance, **kwargs):
    end_tokens(instance.user_id)


def connect() -> None:
    pre_save.connect(_user_saving, sender=User, dispatch_uid="accounts.tokens.user_saving")
    post_save.connect(_user_saved, sender=User, dispatch_uid="accounts.tokens.user_saved")
    pre_save.connect(_membership_saving, sender=Membership, dispatch_uid="accounts.tokens.membership_saving")
    post_delete.connect(
        _membership_deleted, sender=Membership, dispatch_uid="accounts.tokens.membership_deleted"
    )
