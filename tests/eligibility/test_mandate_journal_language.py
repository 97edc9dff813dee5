"""The mandate journal reads in the reader's language: a referrer working in French records a mandate, attests
eligibility and territories for a household, and the household reading its page in English reads « 12 months »,
its scopes, how it signed, the decision and the territory in English (the entries keep facts, not sentences)."""

import pytest
from django.urls import reverse
from django.utils import translation

from reuse.eligibility.enums import ConsentMethod, Criterion
from reuse.eligibility.services import decisions
from reuse.territories import services as territories
from tests.factories.accounts import member_of
from tests.factories.eligibility import ReferrerAccreditationFactory, household_opened_by
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_household_reads_in_english_what_its_referrer_wrote_in_french(client):
    ProgrammeFactory(every_check=True)
    organisation = ReferrerAccreditationFactory().organisation
    referrer = member_of(organisation)
    with translation.override("fr"):
        household = household_opened_by(
            referrer, consent_method=ConsentMethod.ON_SCREEN, signed_name="Traoré"
        )
        decisions.attest(referrer=referrer, household=household, criteria=[Criterion.RSA])
        territories.attest(actor=referrer, household=household, kinds=["qpv"])
    client.force_login(household)

    english = client.get(reverse("eligibility:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "12 months" in english and "Mandate signed on screen" in english
    assert "Territory: Priority urban district (QPV)" in english
    for french in ("12 mois", "Mandat signé à l’écran", "Territoire :", "Demander un appareil"):
        assert french not in english, french

    french = client.get(reverse("eligibility:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "12 mois" in french and "Mandat signé à l’écran" in french and "Territoire : Quartier" in french
