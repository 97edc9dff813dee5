"""The signed-in person of each request, read from the cache instead of the database.

Every signed-in request asks for its user (AuthenticationMiddleware) and nearly every page for what that person
is (reuse.policy.accounts.standing: memberships and household profile): two queries before the view starts,
the only ones left on a cached catalogue page. `CachedUserBackend` keeps both in Django's cache, keyed by the
user's id, beside a version key:

- the entry is (version, user); it counts only while the user's version key holds that same version;
- any save or deletion of the user, of one of their memberships, of their household profile or of an
  organisation they belong to (receivers below, connected by AccountsConfig.ready) deletes the version key, at
  once and again when the transaction commits. A request that read the old row before the commit may store it
  afterwards, but under the old version, which no longer matches: the next request reads the database.

Django's session check is unchanged: the session's hash is compared with the (cached) user's password hash,
and a password change saves the user, so another session of that person is ended at its next request. An
inactive user is refused, from the cache as from the database. Writes that bypass save() (queryset
`.update()`) must call `forget()` or `forget_members()` themselves.
"""

import uuid

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from reuse.accounts.models import HouseholdProfile, Membership, Organisation, User
from reuse.policy.accounts import standing

# The one backend path the project's login() calls name (and that the sessions store).
BACKEND = "reuse.accounts.backends.CachedUserBackend"
# A missed invalidation (a write that bypasses save() and forgets to call forget()) lasts at most this long.
USER_TTL = 3600


def _version_key(user_id) -> str:
    return f"accounts:user:{user_id}:version"


def _entry_key(user_id) -> str:
    return f"accounts:user:{user_id}"


def _current_version(user_id, found=None) -> str:
    version = found
    if version is None:
        cache.add(_version_key(user_id), uuid.uuid4().hex, None)
        version = cache.get(_version_key(user_id))
    return version


class CachedUserBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions), whose get_user reads the cache first."""

    def get_user(self, user_id):
        version_key, entry_key = _version_key(user_id), _entry_key(user_id)
        found = cache.get_many([version_key, entry_key])
        version, entry = found.get(version_key), found.get(entry_key)
        if version is not None and entry is not None and entry[0] == version:
            user = entry[1]
        else:
            # The version is read before the row: a change committed in between leaves a stale version.
            version = _current_version(user_id, version)
            user = super().get_user(user_id)
            if user is None:
                return None
            # What the pages ask next about this person, read now and kept with the row.
            standing(user)
            cache.set(entry_key, (version, user), USER_TTL)
        return user if self.user_can_authenticate(user) else None


def forget(*user_ids) -> None:
    """Drop the cached rows of these users, now and when the current transaction commits."""
    keys = [_version_key(user_id) for user_id in user_ids if user_id is not None]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_members(organisation_id) -> None:
    """Drop the cached rows of everyone who belongs to an organisation (its kind or status changed)."""
    forget(*Membership.objects.filter(organisation_id=organisation_id).values_list("user_id", flat=True))


# Receivers ---------------------------------------------------------------------------------------------


def user_changed(sender, instance, **kwargs):
    forget(instance.pk)


def member_changed(sender, instance, **kwargs):
    forget(instance.user_id)


def organisation_changed(sender, instance, created=False, **kwargs):
    if not created:
        forget_members(instance.pk)


def connect() -> None:
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(user_changed, sender=User, dispatch_uid=f"accounts.backends.user_{name}")
        for model in (Membership, HouseholdProfile):
            signal.connect(
                member_changed, sender=model, dispatch_uid=f"accounts.backends.{model.__name__}_{name}"
            )
        signal.connect(
            organisation_changed, sender=Organisation, dispatch_uid=f"accounts.backends.organisation_{name}"
        )
