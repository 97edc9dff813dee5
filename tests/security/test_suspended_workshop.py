"""A workshop staff suspend can no longer hand anything over (its members lose the stock): its listed devices
leave the catalogue, the API's catalogue and the waiting list's offers, and nobody can reserve one of them."""

import json

import pytest
from django.urls import reverse

from inventory.enums import DeviceState
from reuse.accounts.enums import OrganisationStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.errors import Unavailable
from tests.factories.accounts import OrganisationFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended_device(db):
    ProgrammeFactory()
    workshop = OrganisationFactory(open_workshop=True, department="93")
    device = DeviceFactory(listed=True, workshop=workshop, brand="Suspendu")
    workshop.status = OrganisationStatus.SUSPENDED
    workshop.save()  # as the admin's edit form does
    return device


def test_a_suspended_workshops_devices_leave_the_catalogue(client, suspended_device):
    page = client.get(reverse("claims:catalogue")).content.decode()
    assert "Suspendu" not in page
    items = client.get("/api/v1/catalogue").json()["items"]
    assert suspended_device.pk not in {item["id"] for item in items}
    assert client.get(reverse("claims:device", args=[suspended_device.pk])).status_code == 404


def test_nobody_reserves_a_suspended_workshops_device(client, suspended_device):
    household = eligible()
    with pytest.raises(Unavailable):
        reservations.create_claim(actor=household, device_id=suspended_device.pk)
    client.force_login(household)
    body = json.dumps({"device_id": suspended_device.pk})
    assert client.post("/api/v1/claims", body, content_type="application/json").status_code == 409
    assert not Claim.objects.exists()
    suspended_device.refresh_from_db()
    assert suspended_device.state == DeviceState.LISTED


def test_suspending_a_workshop_drops_its_devices_from_a_cached_catalogue_page(
    client, django_capture_on_commit_callbacks
):
    from reuse.accounts.services import suspend_organisation
    from tests.factories.accounts import UserFactory

    ProgrammeFactory()
    workshop = OrganisationFactory(open_workshop=True, department="93")
    DeviceFactory(listed=True, workshop=workshop, brand="Bientôt suspendu")
    assert "Bientôt suspendu" in client.get(reverse("claims:catalogue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        suspend_organisation(organisation=workshop, by=UserFactory(is_staff=True))
    assert "Bientôt suspendu" not in client.get(reverse("claims:catalogue")).content.decode()


@pytest.fixture
def confirmed_at_suspended_workshop(db):
    """A free claim, confirmed, waiting at a workshop's counter when staff suspend that workshop."""
    from reuse.accounts.services import suspend_organisation
    from tests.factories.accounts import UserFactory, member_of

    ProgrammeFactory()
    workshop = OrganisationFactory(open_workshop=True, department="93")
    technician = member_of(workshop)
    claim = reservations.create_claim(
        actor=eligible(), device_id=DeviceFactory(listed=True, free=True, workshop=workshop).pk
    )
    suspend_organisation(organisation=workshop, by=UserFactory(is_staff=True))
    return claim, technician


def test_a_suspended_workshop_hands_nothing_over_through_the_api(client, confirmed_at_suspended_workshop):
    claim, technician = confirmed_at_suspended_workshop
    client.force_login(technician)
    body = json.dumps({"code": claim.handover_code_display})
    response = client.post(f"/api/v1/claims/{claim.pk}/handover", body, content_type="application/json")
    assert response.status_code == 404, response.json()
    assert response.json()["code"] == "not_found"
    claim.refresh_from_db()
    claim.device.refresh_from_db()
    assert (claim.status, claim.device.state) == ("confirmed", DeviceState.RESERVED)


def test_a_suspended_workshops_counter_hands_nothing_over(client, confirmed_at_suspended_workshop):
    claim, technician = confirmed_at_suspended_workshop
    client.force_login(technician)
    code = claim.handover_code_display
    client.post(reverse("claims:handover"), {"claim": claim.pk, "code": code})
    client.post(reverse("claims:handover_confirm"), {"claim": claim.pk, "code": code})
    client.post(reverse("tripod:handover_confirm"), {"claim": claim.pk, "code": code})
    claim.refresh_from_db()
    assert claim.status == "confirmed"
    assert client.get(reverse("claims:handover")).status_code == 404


def test_a_suspended_workshops_members_act_for_it_no_more(client, confirmed_at_suspended_workshop):
    """Beyond its stock and counter: no lot to accept or receive, no warranty ticket, no first-use session. What
    staff suspend is the organisation, whatever page its members open."""
    from reuse.aftercare.services import tickets
    from reuse.policy import donations as lot_policy
    from reuse.tripod import sessions
    from tests.factories.donations import LotFactory
    from tests.factories.tripod import SessionSlotFactory

    claim, technician = confirmed_at_suspended_workshop
    workshop = claim.device.workshop
    lot = LotFactory(assigned=True, workshop=workshop)
    SessionSlotFactory(workshop=workshop)

    assert not lot_policy.workshop_lots(technician).exists()
    assert not lot_policy.visible_lots(technician).exists()
    assert lot_policy.workshop_of(technician, lot) is None
    assert not tickets.workshop_tickets(technician).exists()
    assert not sessions.workshops_of(technician).exists()
    client.force_login(technician)
    assert client.get(reverse("donations:workshop_lot", args=[lot.pk])).status_code == 404
    assert client.get(reverse("tripod:workshop_sessions")).status_code == 404
    assert client.get(reverse("aftercare:workshop")).status_code == 403
    assert client.get(reverse("claims:handover")).status_code == 404

    # Lifting the suspension gives everything back.
    workshop.status = OrganisationStatus.APPROVED
    workshop.save()
    assert lot_policy.workshop_of(technician, lot) == workshop
    assert sessions.workshops_of(technician).get() == workshop
    assert client.get(reverse("donations:workshop_lot", args=[lot.pk])).status_code == 200
    assert client.get(reverse("tripod:workshop_sessions")).status_code == 200
    assert client.get(reverse("aftercare:workshop")).status_code == 200
