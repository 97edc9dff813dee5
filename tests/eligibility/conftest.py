import pytest

from reuse.eligibility.enums import ConsentMethod, MandateScope
from reuse.eligibility.services import households
from tests.factories.accounts import UserFactory, household
from tests.factories.eligibility import accredited_referrer
from tests.factories.programmes import ProgrammeFactory


@pytest.fixture
def programme(db):
    return ProgrammeFactory(every_check=True)


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
    from datetime import date

    person, _mandate = households.create_household_under_mandate(
        referrer=referrer,
        first_name="Mamadou",
        last_name="Traoré",
        birth_date=date(1961, 4, 12),
        postcode="93200",
        household_size=1,
        scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS],
        months=12,
        consent_given=True,
        consent_method=ConsentMethod.PRINTED,
    )
    return person
