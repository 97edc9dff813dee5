"""A family quotient has the same bounds on every write path (reuse/bounds.py, QUOTIENT_FAMILIAL_EUR).

The questionnaire, the referrer's and the document forms stopped at 100,000 €, but the API took any whole
number: 2**31 is past PostgreSQL's integer column and 10**20 past SQLite's, a server error for the household's
or the referrer's tool instead of a 422 naming the field, and any value in between was stored on the decision.
"""

import pytest
from django.db import IntegrityError, transaction

from reuse.bounds import FieldInvalid
from reuse.eligibility.models import EligibilityDecision
from reuse.eligibility.services import decisions
from tests.factories.accounts import household

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("quotient", [100_001, 2**31])
def test_the_api_refuses_a_quotient_past_its_bound(client, api_client, programme, quotient):
    client.force_login(household())
    response = api_client.post(
        "/api/v1/eligibility",
        {"criteria": ["rsa"], "evidence": "document", "quotient_familial_eur": quotient},
    )
    assert response.status_code in (400, 422), response.content
    assert "quotient_familial_eur" in response.content.decode()
    assert not EligibilityDecision.objects.exists()


def test_the_database_refuses_a_quotient_past_its_bound(programme):
    person = household()
    decision = decisions.decide_for_household(
        household=person, author=person, criteria=["rsa"], evidence="document", quotient_familial_eur=650
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EligibilityDecision.objects.filter(pk=decision.pk).update(quotient_familial_eur=100_001)


def test_the_service_refuses_a_quotient_past_its_bound_from_any_caller(programme):
    """API Particulier's answer or a script calls the service, not the forms: the same bound, a clear refusal."""
    person = household()
    with pytest.raises(FieldInvalid):
        decisions.decide_for_household(
            household=person,
            author=person,
            criteria=["rsa"],
            evidence="document",
            quotient_familial_eur=2**31,
        )
    assert not EligibilityDecision.objects.exists()
