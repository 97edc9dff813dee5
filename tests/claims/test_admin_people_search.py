"""Staff looking for a person in the admin's lists (a household calls about its claim; a member of a structure)
type the name as they hear it: without accents, with a straight apostrophe for a curly one, first name first."""

import pytest

from tests.claims.helpers import confirmed_claim
from tests.factories.accounts import HouseholdProfileFactory, UserFactory
from tests.factories.eligibility import eligible

pytestmark = pytest.mark.django_db


def test_staff_find_a_households_claims_by_its_name_typed_any_way(client, programme):
    helene = HouseholdProfileFactory(user=UserFactory(first_name="Hélène", last_name="D’Almeida")).user
    claim = confirmed_claim(household=eligible(helene))
    other = confirmed_claim()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for typed in ("d'almeida", "Hélène D’Almeida", "helene dalmeida", "HELENE"):
        html = client.get("/admin/claims/claim/", {"q": typed}).content.decode()
        assert f"/admin/claims/claim/edit/{claim.pk}/" in html or f"/inspect/{claim.pk}/" in html, typed
        assert f"/inspect/{other.pk}/" not in html and f"/edit/{other.pk}/" not in html, typed
