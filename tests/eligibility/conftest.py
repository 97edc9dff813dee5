import pytest

from tests import fixtures
from tests.factories.accounts import UserFactory, household
from tests.factories.eligibility import accredited_referrer, household_opened_by

programme = fixtures.checked_programme


@pytest.fixture
def referrer(db):
    user, _organisation = accredited_referrer()
    return user


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def a_household(db):
    return household(postcode="93200")


@pytest.fixture
def mandated(referrer, programme):
    """A household without email, created by the referrer under a mandate (eligibility and claims)."""
    return household_opened_by(referrer, household_size=1)
