"""API Particulier answers whether a person receives the RSA, the AAH, the CSS… A household checks its own
rights: an account cannot be used to ask about other people's. The identity must agree with the birth date the
account holds, and each household has a few checks a day, whoever asks for them.
"""

import datetime

import pytest

from reuse.eligibility.enums import Evidence
from reuse.eligibility.services import decisions
from reuse.eligibility.services.decisions import API_PARTICULIER_CHECKS_PER_DAY
from reuse.errors import DomainError
from tests import fixtures
from tests.eligibility.test_api_particulier import Handler, api_server, identity  # noqa: F401 (fixture)
from tests.factories.accounts import household

pytestmark = pytest.mark.django_db


programme = fixtures.checked_programme


def check(person, name, born=datetime.date(1987, 6, 27)):
    someone = identity(name)
    someone.birth_date = born
    return decisions.decide_for_household(
        household=person, author=person, criteria=["rsa"], evidence=Evidence.API_PARTICULIER, identity=someone
    )


def test_an_identity_born_another_day_than_the_account_is_not_checked(api_server, programme):  # noqa: F811
    person = household()
    person.household.birth_date = datetime.date(1990, 1, 1)
    person.household.save()
    with pytest.raises(DomainError) as refused:
        check(person, "LEFEBVRE")
    assert refused.value.code == "identity_mismatch" and refused.value.status == 422
    assert Handler.calls == []
    assert check(person, "LEFEBVRE", born=datetime.date(1990, 1, 1)).status == "eligible"


def test_a_household_has_a_few_checks_a_day(api_server, programme):  # noqa: F811
    person = household()
    names = ["DUPONT", "ROUX", "LEFEBVRE", "MARTIN", "BERNARD", "PETIT"]
    for name in names[:API_PARTICULIER_CHECKS_PER_DAY]:
        check(person, name)
    calls = len(Handler.calls)
    with pytest.raises(DomainError) as refused:
        check(person, names[API_PARTICULIER_CHECKS_PER_DAY])
    assert refused.value.code == "rate_limited" and refused.value.status == 403
    assert len(Handler.calls) == calls
    # Another household's checks are its own.
    assert check(household(), "LEFEBVRE").status == "eligible"


def test_an_account_without_a_birth_date_takes_the_first_identity_checked(api_server, programme):  # noqa: F811
    """The birth date is optional at sign-up: the first identity asked about binds the account, so a second
    person's rights cannot be asked about from it, and the account gets its duplicate fingerprint."""
    from reuse.eligibility.models import HouseholdFingerprint

    person = household()
    person.household.birth_date = None
    person.household.save()
    assert check(person, "LEFEBVRE", born=datetime.date(1987, 6, 27)).status == "eligible"
    person.household.refresh_from_db()
    assert person.household.birth_date == datetime.date(1987, 6, 27)
    assert HouseholdFingerprint.objects.filter(user=person).exists()
    calls = len(Handler.calls)
    with pytest.raises(DomainError) as refused:
        check(person, "DUPONT", born=datetime.date(1955, 3, 2))
    assert refused.value.code == "identity_mismatch" and len(Handler.calls) == calls
