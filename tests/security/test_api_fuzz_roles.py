"""Fuzz the API operations each role owns, signed in as that role: the workshop's fuzzing (test_api_fuzz.py)
stops at the role check of a donor's, a referrer's or a household's operation and never reaches its body's rules.
Whatever the input, never a server error, and every refusal in the API's error format."""

import pytest

from reuse.accounts.services import issue_api_token
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, member_of
from tests.factories.eligibility import MandateFactory, ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.security.test_api_fuzz import OPERATIONS, fuzz

MAX_EXAMPLES = 25


def donor():
    return member_of(OrganisationFactory(donor=True))


def referrer():
    organisation = ReferrerAccreditationFactory().organisation
    user = member_of(organisation)
    household = HouseholdProfileFactory(postcode="93200").user
    MandateFactory(household=household, referrer_organisation=organisation, referrer=user)
    return user


def household():
    return eligible(HouseholdProfileFactory(postcode="93200").user)


def association():
    organisation = OrganisationFactory(association=True)
    eligible(organisation=organisation)
    return member_of(organisation)


ROLES = {
    "POST /api/v1/lots": donor,
    "POST /api/v1/households": referrer,
    "POST /api/v1/eligibility": referrer,
    "POST /api/v1/claims": household,
    "POST /api/v1/claims/batch": association,
}


@pytest.mark.parametrize("label", sorted(ROLES))
@pytest.mark.django_db
def test_no_operation_answers_500_to_its_own_role(label, client):
    ProgrammeFactory(every_check=True)
    for _ in range(3):
        DeviceFactory(listed=True)
    headers = {"Authorization": f"Bearer {issue_api_token(user=ROLES[label]())}"}
    operation = OPERATIONS[label]

    fuzz(client, operation, headers, MAX_EXAMPLES)
