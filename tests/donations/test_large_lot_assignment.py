"""A fleet larger than what any workshop of its territory receives in a month is never offered automatically:
the donor is told that staff assign it, instead of waiting for an offer that cannot come."""

import pytest

from donations.models import LotItem
from reuse.accounts.enums import OrganisationStatus
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.inventory import workshop_with_member

pytestmark = pytest.mark.django_db

BY_STAFF = 'data-assignment="by-staff"'


@pytest.fixture
def fleet(client):
    """A donor's lot of 3,000 laptops (one manifest line per device) picked up in the 93, the donor signed in."""
    donor, user = donor_with_member()
    donor.status = OrganisationStatus.APPROVED
    donor.save(update_fields=["status"])
    lot = LotFactory(donor=donor, created_by=user, pickup_postcode="93200")
    LotItem.objects.bulk_create(
        LotItem(lot=lot, type="laptop", serial=f"FLEET-{n:05d}", row_number=n + 2) for n in range(3000)
    )
    client.force_login(user)
    return lot


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """Submit the lot (its automatic assignment runs once the request commits); the lot page then."""

    def send(lot) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/dons/lots/{lot.pk}/soumettre/")
        lot.refresh_from_db()
        return client.get(f"/dons/lots/{lot.pk}/").content.decode()

    return send


def test_a_fleet_larger_than_every_workshop_of_its_territory_is_said_to_be_assigned_by_staff(submit, fleet):
    workshop_with_member(departments=("93",), capacity=400)
    workshop_with_member(departments=("75",), capacity=5000)
    page = submit(fleet)

    assert fleet.status == "submitted" and fleet.workshop is None
    assert BY_STAFF in page
    assert (
        "Ce lot compte 3000 appareils, plus qu’aucun atelier de votre territoire n’en reçoit en un mois (400 au plus)"
        in page
    )


def test_a_territory_without_workshop_is_said_too(submit, fleet):
    workshop_with_member(departments=("75",), capacity=5000)
    page = submit(fleet)

    assert "Aucun atelier de Rebond ne dessert encore le département 93" in page


def test_a_fleet_a_workshop_can_take_is_offered_and_nothing_is_said(submit, fleet):
    workshop, _member = workshop_with_member(departments=("93",), capacity=5000)
    page = submit(fleet)

    assert fleet.workshop == workshop and BY_STAFF not in page
