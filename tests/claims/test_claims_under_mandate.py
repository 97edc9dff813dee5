"""What a referrer reserves for a household is written in the mandate journal, which the household reads on its
page: a claim is the main thing done on its behalf, and the person (often without email) learns of it there."""

import pytest
from django.urls import reverse

from reuse.claims.services import reservations
from reuse.eligibility.enums import JournalAction
from reuse.eligibility.models import MandateJournalEntry
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
