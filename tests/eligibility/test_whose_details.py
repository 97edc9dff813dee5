"""The browser fills a form with the details it keeps for its own user when the form says whose they are
(HTML's autocomplete attribute; WCAG 2.1 SC 1.3.5 asks it for the user's own birth date, « bday »). A household's
own form names each purpose; a referrer's form about someone else says « off », so that the social worker's
phone does not offer the social worker's own name, postcode or address for the person's record."""

import re

import pytest

from reuse.eligibility.forms import HouseholdSignupForm, IdentityForm, ReferrerHouseholdForm


@pytest.mark.parametrize("form_class", [HouseholdSignupForm, IdentityForm])
def test_a_households_own_birth_date_says_it_is_a_birth_date(form_class):
    assert 'autocomplete="bday"' in str(form_class()["birth_date"])


def test_nothing_of_the_referrers_own_is_offered_for_the_persons_record():
    form = ReferrerHouseholdForm()
    for name in ("first_name", "last_name", "birth_date", "postcode", "email"):
        html = str(form[name])
        assert re.search(r'autocomplete="off"', html), html
