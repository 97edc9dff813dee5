"""What a referrer reserves for a household is written in the mandate journal, which the household reads on its
page: a claim is the main thing done on its behalf, and the person (often without email) learns of it there."""

import pytest
from django.urls import reverse

from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility.enums import JournalAction
from reuse.eligibility.models import Mandate, MandateJournalEntry
from reuse.eligibility.services import mandates
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_a_device_reserved_by_the_referrer_shows_in_the_households_journal(client, programme):
    referrer, household = referrer_with_household()
    device = DeviceFactory(listed=True, brand="Dell", model="Latitude 5420")
    claim = reservations.create_claim(actor=referrer, beneficiary=household, device_id=device.pk)
    entry = MandateJournalEntry.objects.get(household=household, action=JournalAction.CLAIM)
    assert entry.actor == referrer and entry.mandate.referrer_organisation == claim.referrer_organisation
    client.force_login(household)
    page = client.get(reverse("eligibility:dashboard")).content.decode()
    assert "Demande d’appareil" in page and "Dell Latitude 5420" in page
    english = client.get(reverse("eligibility:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Request no. {claim.pk}: Laptop Dell Latitude 5420" in english


def test_a_households_own_claim_is_not_written_as_done_on_its_behalf(programme):
    household = eligible()
    reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    assert not MandateJournalEntry.objects.exists()


@pytest.mark.parametrize(
    "language, told",
    [
        ("fr", "Vous ne pouvez plus faire de demande pour ce foyer"),
        ("en", "You can no longer make a request for this household"),
    ],
)
def test_a_referrer_whose_mandate_ended_on_the_way_is_told_so_not_given_a_form_error(
    client, programme, language, told
):
    # The device page was open with the household in the list; the household withdrew the mandate meanwhile.
    referrer, household = referrer_with_household()
    device = DeviceFactory(listed=True)
    client.force_login(referrer)
    assert f'value="{household.pk}"' in client.get(f"/catalogue/{device.pk}/").content.decode()
    mandates.revoke_mandate(mandate=Mandate.objects.get(household=household), by=household)
    response = client.post(
        f"/catalogue/{device.pk}/demander/", {"beneficiary": household.pk}, HTTP_ACCEPT_LANGUAGE=language
    )
    page = response.content.decode()
    assert response.status_code == 422 and not Claim.objects.exists()
    assert told in page
    # Not Django's « Sélectionnez un choix valide. 2 n’en fait pas partie. », with the account's number.
    assert f" {household.pk} " not in page
