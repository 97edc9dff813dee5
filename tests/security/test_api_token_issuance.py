"""Who may create an API token for whom in the admin (Settings › Jetons d’API), and what is kept of it.

Whoever creates a token reads it once and holds it: they can then act through the API as its owner, without the
owner ever knowing. A staff member creates tokens for themselves, and for people outside staff (a workshop's
tool); never for another staff member, superuser or not.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import APIToken

from tests.factories.accounts import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailusers_api_tokens:add")


def coordinator(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


def create(client, owner, name="Outil"):
    return client.post(ADD, {"name": name, "user": owner.pk})


def test_a_coordinator_creates_tokens_for_themselves_and_for_people_outside_staff(client):
    issuer = coordinator()
    workshop_member = member_of(OrganisationFactory(workshop=True))
    client.force_login(issuer)
    for owner in (issuer, workshop_member):
        response = create(client, owner)
        assert response.status_code == 200
        token = APIToken.objects.get(user=owner)
        # Shown once, on the page that created it; only a digest is kept.
        plaintext = response.context["token"]
        assert plaintext in response.content.decode() and plaintext not in (token.key_hash, token.prefix)
        assert plaintext not in client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
        assert (
            plaintext
            not in client.get(reverse("wagtailusers_api_tokens:edit", args=[token.pk])).content.decode()
        )


@pytest.mark.parametrize("issuer_is_superuser", [False, True])
def test_nobody_creates_a_token_for_another_staff_member(client, issuer_is_superuser):
    issuer = coordinator(is_superuser=issuer_is_superuser)
    others = [
        coordinator(),
        UserFactory(is_staff=True),
        UserFactory(is_staff=True, is_superuser=True),
        UserFactory(is_active=False),
    ]
    client.force_login(issuer)
    form = client.get(ADD)
    choices = {str(value) for value, _label in form.context["form"].fields["user"].choices}
    for other in others:
        assert str(other.pk) not in choices
        assert create(client, other).status_code == 200
    assert not APIToken.objects.exists()


@pytest.mark.parametrize("promotion", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_a_token_made_before_its_owner_joined_staff_ends_with_the_promotion(client, promotion):
    """A coordinator made a token for a workshop member's tool and read it; the member later joins staff. The
    token would now carry staff rights its creator was never given: it ends, and the person makes their own."""
    owner = member_of(OrganisationFactory(workshop=True))
    client.force_login(coordinator())
    create(client, owner)
    token = APIToken.objects.get(user=owner)
    for field, value in promotion.items():
        setattr(owner, field, value)
    owner.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Other changes to the person leave their tokens alone.
    fresh = member_of(OrganisationFactory(workshop=True))
    create(client, fresh, name="Autre outil")
    fresh.first_name = "Renommée"
    fresh.save()
    assert APIToken.objects.get(user=fresh).revoked_at is None
