"""A person in two organisations of one kind, signed in: the fixtures of the « which organisation » tests.

The second organisation's pk comes after the first's, so « the first one » is never the one chosen.
"""

import pytest

from tests.factories.accounts import MembershipFactory, OrganisationFactory, member_of
from tests.factories.eligibility import ReferrerAccreditationFactory, eligible


def signed_in_member_of(client, first, second):
    person = member_of(first)
    MembershipFactory(user=person, organisation=second)
    client.force_login(person)
    return person


@pytest.fixture
def associations(client, programme):
    pair = [
        eligible(organisation=OrganisationFactory(association=True, name=name), programme=programme)
        for name in ("Première", "Seconde")
    ]
    signed_in_member_of(client, *pair)
    return pair


@pytest.fixture
def donors(client):
    pair = [OrganisationFactory(donor=True, name=name) for name in ("Première", "Seconde")]
    signed_in_member_of(client, *pair)
    return pair


@pytest.fixture
def referrers(client, programme):
    pair = [
        ReferrerAccreditationFactory(organisation__name=name).organisation for name in ("Première", "Seconde")
    ]
    signed_in_member_of(client, *pair)
    return pair
