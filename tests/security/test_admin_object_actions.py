"""Staff close a possible duplicate and withdraw a territory attestation with an action on the object, never by
typing a date: the action dates it now (and names who, for a duplicate), a second one is refused with a message,
and nothing brings a withdrawn attestation back. The record of what an import did is read, never rewritten."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.eligibility.models import DuplicateFlag
from reuse.territories.enums import TerritoryKind
from reuse.territories.models import TerritoryAttestation
from tests.documents import told
from tests.factories.accounts import HouseholdProfileFactory
from tests.factories.eligibility import MandateFactory

pytestmark = pytest.mark.django_db


def test_staff_resolve_a_possible_duplicate_with_its_action(staff):
    """The admin's date field closed a flag with no one named, at any date, and could open it again."""
    first, second = HouseholdProfileFactory().user, HouseholdProfileFactory().user
    flag = DuplicateFlag.objects.create(first=first, second=second, reason="Même nom")
    staff.post(reverse("household-duplicates:edit", args=[flag.pk]), {"resolved_at": "2020-01-01 10:00"})
    assert DuplicateFlag.objects.get(pk=flag.pk).resolved_at is None

    url = reverse("household-duplicates:resolve", args=[flag.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_at is not None and flag.resolved_by is not None and flag.resolved_by.is_superuser
    again = staff.post(url)
    assert any("déjà traité" in message for message in told(again)), told(again)


def test_staff_withdraw_an_attestation_and_cannot_bring_it_back(staff):
    mandate = MandateFactory()
    attestation = TerritoryAttestation.objects.create(
        household=mandate.household,
        kind=TerritoryKind.QPV,
        attested_by=mandate.referrer,
        referrer_organisation=mandate.referrer_organisation,
        mandate=mandate,
    )
    url = reverse("territories_attestation:revoke", args=[attestation.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    revoked_at = TerritoryAttestation.objects.get(pk=attestation.pk).revoked_at
    assert revoked_at is not None and revoked_at <= timezone.now()
    # Neither the edit form of before (an empty date brought it back) nor a second withdrawal changes it.
    staff.post(reverse("territories_attestation:edit", args=[attestation.pk]), {"revoked_at": ""})
    again = staff.post(url)
    assert any("déjà retirée" in message for message in told(again)), told(again)
    assert TerritoryAttestation.objects.get(pk=attestation.pk).revoked_at == revoked_at
    assert not TerritoryAttestation.objects.valid().exists()


def test_the_record_of_a_places_import_is_neither_rewritten_nor_deleted(staff):
    from reuse.tripod.models import PlaceImport

    record = PlaceImport.objects.create(source="upload", filename="lieux.csv", rows=3, created_count=3)
    staff.post(reverse("tripod_import:edit", args=[record.pk]), {"filename": "autre.csv"})
    staff.post(reverse("tripod_import:delete", args=[record.pk]))
    assert PlaceImport.objects.filter(pk=record.pk, filename="lieux.csv").exists()
