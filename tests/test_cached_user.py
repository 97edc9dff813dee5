"""The signed-in user read from the cache (reuse.accounts.backends): no query once warm, and any change seen at once."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from reuse.accounts import backends, services
from reuse.accounts.enums import OrganisationKind, Role
from reuse.accounts.models import Membership, User
from reuse.policy.accounts import roles_of
from tests.factories.accounts import (
    PASSWORD,
    HouseholdProfileFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def user_of(client):
    """The request.user of a signed-in page, as the middleware built it."""
    response = client.get(reverse("accounts:home"))
    return response.wsgi_request.user


def test_the_backend_is_the_one_login_names():
    assert backends.BACKEND == "reuse.accounts.backends.CachedUserBackend"
    from django.conf import settings

    assert backends.BACKEND in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS


def test_a_warm_signed_in_request_reads_neither_the_user_nor_their_roles(client):
    user = HouseholdProfileFactory().user
    client.force_login(user)
    client.get(reverse("claims:catalogue"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("claims:catalogue"))
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk
    assert len(captured) == 0, [query["sql"] for query in captured]
    # The roles come with the cached row.
    with CaptureQueriesContext(connection) as captured:
        assert roles_of(response.wsgi_request.user) == {Role.HOUSEHOLD}
    assert len(captured) == 0


def test_the_cache_is_what_answers(client):
    """A write that bypasses save() is not seen (this is why such writes call forget()): the row is cached."""
    user = UserFactory(first_name="Avant")
    client.force_login(user)
    assert user_of(client).first_name == "Avant"
    User.objects.filter(pk=user.pk).update(first_name="Après")
    assert user_of(client).first_name == "Avant"
    backends.forget(user.pk)
    assert user_of(client).first_name == "Après"


def test_email_active_flag_and_role_changes_are_seen_at_once(client):
    user = UserFactory(email="avant@example.test")
    client.force_login(user)
    assert user_of(client).email == "avant@example.test"
    user.email = "apres@example.test"
    user.save()
    assert user_of(client).email == "apres@example.test"

    # A membership gives a role at once, and losing it takes the role away at once.
    workshop = OrganisationFactory(workshop=True)
    assert Role.WORKSHOP not in roles_of(user_of(client))
    membership = MembershipFactory(user=user, organisation=workshop)
    assert Role.WORKSHOP in roles_of(user_of(client))
    assert client.get(reverse("inventory:stock")).status_code == 200
    membership.delete()
    assert Role.WORKSHOP not in roles_of(user_of(client))
    assert client.get(reverse("inventory:stock")).status_code == 403

    # So do a household profile and staff status.
    HouseholdProfileFactory(user=user)
    assert Role.HOUSEHOLD in roles_of(user_of(client))
    user.refresh_from_db()
    user.is_staff = True
    user.save()
    assert Role.STAFF in roles_of(user_of(client))

    # Deactivated: signed out at the next request.
    user.is_active = False
    user.save()
    assert not user_of(client).is_authenticated


def test_an_organisation_approved_by_update_is_seen_by_its_members(client):
    pending = OrganisationFactory(workshop=True, pending=True)
    user = UserFactory()
    Membership.objects.create(user=user, organisation=pending)
    client.force_login(user)
    assert client.get(reverse("inventory:stock")).status_code == 403
    services.approve_organisation(organisation=pending, by=UserFactory(is_staff=True))
    assert client.get(reverse("inventory:stock")).status_code == 200
    # A workshop changed into another kind by save(): its members lose the role at once.
    pending.refresh_from_db()
    pending.kind = OrganisationKind.DONOR
    pending.save()
    assert Role.WORKSHOP not in roles_of(user_of(client))


def test_a_deleted_user_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    assert user_of(client).is_authenticated
    user.delete()
    assert not user_of(client).is_authenticated


def test_a_row_read_before_a_change_and_stored_after_it_is_never_served():
    """The race the version key closes: a request reads the old row, the change commits and drops the version,
    then that request stores the old row. It was stored under the old version: the next read goes to the
    database."""
    user = UserFactory(first_name="Ancien")
    backend = backends.CachedUserBackend()
    assert backend.get_user(user.pk).first_name == "Ancien"
    stale_entry = cache.get(backends._entry_key(user.pk))
    User.objects.filter(pk=user.pk).update(first_name="Nouveau")
    backends.forget(user.pk)
    cache.set(backends._entry_key(user.pk), stale_entry)
    assert backend.get_user(user.pk).first_name == "Nouveau"
    # And the fresh row is what the cache keeps now.
    with CaptureQueriesContext(connection) as captured:
        assert backend.get_user(user.pk).first_name == "Nouveau"
    assert len(captured) == 0


def test_an_inactive_user_is_refused_from_the_cache_too():
    user = UserFactory()
    backend = backends.CachedUserBackend()
    assert backend.get_user(user.pk) is not None
    entry = cache.get(backends._entry_key(user.pk))
    entry[1].is_active = False
    cache.set(backends._entry_key(user.pk), entry)
    assert backend.get_user(user.pk) is None
    assert backend.get_user(user.pk + 10_000) is None


def test_a_password_change_signs_out_the_other_sessions(client):
    from django.test import Client

    user = UserFactory()
    other = Client()
    assert other.login(email=user.email, password=PASSWORD)
    assert user_of(other).pk == user.pk
    # The password is changed through the site's reset link, in another browser (the link is made after the
    # sign-in above: it covers the last login).
    user.refresh_from_db()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))["Location"]
    response = client.post(
        form_url, {"new_password1": "un-nouveau-secret-2026", "new_password2": "un-nouveau-secret-2026"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("un-nouveau-secret-2026")
    # The session opened with the old password ends at its next request.
    assert not user_of(other).is_authenticated
    assert other.login(email=user.email, password="un-nouveau-secret-2026")
    assert user_of(other).is_authenticated
