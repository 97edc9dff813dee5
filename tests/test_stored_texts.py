"""What services store for someone to read later is read in the reader's language (issue 15).

A mediation-places import that failed and a possible duplicate of a household were stored as the French words of
the process that wrote them: staff reading the admin in English read French. The places file is a CSV as the
LaMednum schema publishes it (https://schema.data.gouv.fr/LaMednum/standard-mediation-num/), here without its
required columns.
"""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from reuse.eligibility.services import duplicates
from reuse.errors import InvalidInput
from reuse.tripod import lamednum
from tests.factories.accounts import UserFactory, household

pytestmark = pytest.mark.django_db


def _staff_reading(client, language):
    staff = UserFactory(is_staff=True, is_superuser=True)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save()
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Required columns missing: id, pivot"), ("fr", "Colonnes obligatoires absentes : id, pivot")],
)
def test_a_failed_places_import_is_listed_in_the_readers_language(client, language, words):
    with pytest.raises(InvalidInput):
        lamednum.import_places(b"nom;commune\nA;B\n", filename="x.csv", source="command")

    page = _staff_reading(client, language).get("/admin/tripod/import/").content.decode()

    assert words in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Same name, same date of birth and same postcode."), ("fr", "Même nom, même date de naissance")],
)
def test_a_possible_duplicate_says_why_in_the_readers_language(client, language, words):
    first = household(first_name="Awa", last_name="Diallo", birth_date="1990-01-02", postcode="93200")
    second = household(first_name="Awa", last_name="Diallo", birth_date="1990-01-02", postcode="93200")
    duplicates.record_fingerprint(first)
    (flag,) = duplicates.record_fingerprint(second)

    reader = _staff_reading(client, language)
    listing = reader.get("/admin/household-duplicates/").content.decode()
    page = reader.get(reverse("household-duplicates:resolve", args=[flag.pk])).content.decode()

    inspected = reader.get(reverse("household-duplicates:inspect", args=[flag.pk])).content.decode()

    assert words in listing
    assert words in page
    assert words in inspected
