"""A household registered a second time under its name spelt with look-alike letters (Cyrillic « а », « о », Greek
« Τ », fullwidth « Ｍ ») or with invisible characters (a right-to-left override, a zero-width joiner) is the same
person to the duplicate check: staff see the pair flagged, and the referrer the look-alike before creating it."""

import importlib

import pytest
from django.apps import apps

from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import DuplicateFlag, HouseholdFingerprint
from reuse.eligibility.services import duplicates
from tests import fixtures
from tests.factories.eligibility import accredited_referrer, household_opened_by

pytestmark = pytest.mark.django_db

programme = fixtures.checked_programme
fingerprint_again = importlib.import_module(
    "reuse.eligibility.migrations.0009_lookalike_letters_in_fingerprints"
).fingerprint_again

# What a screen shows as « Mamadou Traoré ».
LOOKALIKES = [
    ("М\u0430m\u0430d\u043eu", "Traoré"),  # Cyrillic capital Em, small a and o
    ("Mamadou", "\u03a4r\u0430\u043er\u00e9"),  # Greek capital Tau, Cyrillic a and o
    ("\uff2damadou", "Traoré"),  # fullwidth M
    ("Mama\u200ddou", "Tra\u202eoré"),  # a zero-width joiner, a right-to-left override
]


@pytest.mark.parametrize("first_name, last_name", LOOKALIKES)
def test_a_household_registered_again_with_lookalike_letters_is_flagged(programme, first_name, last_name):
    referrer, _organisation = accredited_referrer()
    original = household_opened_by(referrer)
    other_referrer, _other = accredited_referrer()
    twin = household_opened_by(
        other_referrer, first_name=first_name, last_name=last_name, scopes=[MandateScope.ELIGIBILITY]
    )
    flag = DuplicateFlag.objects.get()
    assert {flag.first, flag.second} == {original, twin}


@pytest.mark.parametrize("first_name, last_name", LOOKALIKES)
def test_the_referrer_is_shown_the_lookalike_before_creating_it(programme, first_name, last_name):
    referrer, _organisation = accredited_referrer()
    original = household_opened_by(referrer)
    found = duplicates.followed_lookalikes(
        referrer=referrer,
        first_name=first_name,
        last_name=last_name,
        birth_date=original.household.birth_date,
    )
    assert found == [original]


def test_names_in_other_scripts_stay_apart():
    assert duplicates.normalise_name("Иван") != duplicates.normalise_name("Ivan")
    assert duplicates.normalise_name("Иван") == duplicates.normalise_name("ИВАН")


def test_households_registered_twice_before_the_rule_are_flagged_by_the_migration(programme):
    """Fingerprints made before look-alike letters compared as Latin ones are made again, and the pair flagged."""
    referrer, _organisation = accredited_referrer()
    original = household_opened_by(referrer)
    other_referrer, _other = accredited_referrer()
    twin = household_opened_by(
        other_referrer, first_name="М\u0430m\u0430d\u043eu", scopes=[MandateScope.ELIGIBILITY]
    )
    DuplicateFlag.objects.all().delete()
    HouseholdFingerprint.objects.filter(user=twin).update(digest="0" * 64)  # as the old rule left it: apart
    plain = HouseholdFingerprint.objects.get(user=original).digest
    fingerprint_again(apps, None)
    assert HouseholdFingerprint.objects.get(user=twin).digest == plain
    flag = DuplicateFlag.objects.get()
    assert {flag.first, flag.second} == {original, twin}
