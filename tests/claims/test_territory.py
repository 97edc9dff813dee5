"""A claimant reserves only devices of the workshops its programme covers (the programme that made it eligible
sets its caps, prices and hold time): on its page, through its referrer, as an association's batch and in the
API alike, each time told why in plain French. A swap under warranty is not a new claim and stays allowed."""

import pytest

from inventory.enums import DeviceState
from reuse.aftercare.enums import ReturnedTo
from reuse.aftercare.services import tickets, triage
from reuse.claims.enums import ClaimStatus, WaitlistStatus
from reuse.claims.models import Claim, WaitlistEntry
from reuse.claims.services import reservations, waitlist
from reuse.eligibility.enums import PrioritySituation
from reuse.errors import Forbidden
from tests.aftercare.helpers import handed_over
from tests.claims.helpers import join
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory
from tests.factories.eligibility import eligible, eligible_association, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


def in_department(department: str, **fields):
    """A listed device at a workshop of `department`, as the catalogue shows it to everyone."""
    return DeviceFactory(
        listed=True, workshop=OrganisationFactory(open_workshop=True, department=department), **fields
    )


def still_listed(device) -> bool:
    device.refresh_from_db()
    return device.state == DeviceState.LISTED and not Claim.objects.filter(device=device).exists()


def test_a_household_claims_in_its_programmes_departments_and_is_told_why_not_elsewhere(client, programme):
    household = eligible()  # Saint-Denis (93), programme of 93 and 75
    marseille, paris = in_department("13"), in_department("75")
    client.force_login(household)
    refused = client.post(f"/catalogue/{marseille.pk}/demander/")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Vous ne pouvez pas réserver cet appareil : il se trouve dans un atelier du département 13" in page
    assert f"votre programme « {programme.name} » couvre seulement les départements 93, 75" in page
    assert still_listed(marseille)
    # Paris is another department than the household's, but its programme covers it.
    assert client.post(f"/catalogue/{paris.pk}/demander/").status_code == 302
    paris.refresh_from_db()
    assert paris.state == DeviceState.RESERVED


def test_a_referrer_is_told_the_household_cannot_claim_there(client, programme):
    referrer, household = referrer_with_household()
    device = in_department("69")
    client.force_login(referrer)
    refused = client.post(f"/catalogue/{device.pk}/demander/", {"beneficiary": household.pk})
    assert refused.status_code == 403
    assert "Ce foyer ne peut pas réserver cet appareil" in refused.content.decode()
    assert still_listed(device)


def test_the_api_refuses_another_departments_device_with_its_code(api_client, client, programme):
    household = eligible()
    device = in_department("2A")
    client.force_login(household)
    refused = api_client.post("/api/v1/claims", {"device_id": device.pk})
    assert refused.status_code == 403
    assert refused.json()["code"] == "outside_territory"
    assert "département 2A" in refused.json()["detail"]
    assert still_listed(device)


def test_an_associations_batch_with_one_device_elsewhere_reserves_nothing(api_client, client, programme):
    organisation, member = eligible_association(programme)
    here, elsewhere = in_department("93"), in_department("59")
    client.force_login(member)
    refused = api_client.post("/api/v1/claims/batch", {"device_ids": [here.pk, elsewhere.pk]})
    assert refused.status_code == 403 and refused.json()["code"] == "outside_territory"
    assert "Votre association ne peut pas réserver cet appareil" in refused.json()["detail"]
    assert still_listed(here) and still_listed(elsewhere)
    with pytest.raises(Forbidden, match="département 59"):
        reservations.create_batch_claims(actor=member, organisation=organisation, device_ids=[elsewhere.pk])


def test_an_association_is_offered_its_programmes_departments_and_nothing_else(client, programme):
    organisation, member = eligible_association(programme)
    paris, lille = in_department("75"), in_department("59")
    client.force_login(member)
    client.post("/demandes/association/", {"mode": "quantities", "laptop": "1"})
    assert Claim.objects.get(organisation=organisation).device == paris
    assert still_listed(lille)


def test_a_waitlisted_household_keeps_its_place_when_a_device_outside_its_programme_is_listed(programme):
    household = eligible()  # Saint-Denis (93)
    entry = join(household)
    programme.departments = ["75"]  # the territory is redrawn while the household waits
    programme.save()
    device = in_department("93")
    assert waitlist.offer_device(device.pk) is None
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert still_listed(device)


def test_a_swap_under_warranty_stays_allowed_when_the_programme_no_longer_covers_the_workshop(programme):
    claim, technician = handed_over()
    programme.departments = ["75"]
    programme.save()
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="L’écran reste noir")
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop)
    triage.swap(actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.STOCK)
    ticket.refresh_from_db()
    assert ticket.replacement_claim.device == spare
    assert ticket.replacement_claim.status == ClaimStatus.CONFIRMED


def test_the_catalogue_shows_by_default_what_the_household_may_claim_and_the_rest_on_request(
    client, programme
):
    household = eligible()
    saint_denis, marseille = in_department("93"), in_department("13")
    client.force_login(household)
    narrowed = client.get("/catalogue/")
    assert list(narrowed.context["devices"]) == [saint_denis]
    page = narrowed.content.decode()
    assert "Voici les appareils que vous pouvez demander : ceux des ateliers des départements 93, 75" in page
    everywhere = client.get("/catalogue/", {"partout": "1"})
    assert set(everywhere.context["devices"]) == {saint_denis, marseille}
    assert "Vous ne pouvez demander que les appareils des ateliers des départements 93, 75" in (
        everywhere.content.decode()
    )
    # A department asked for is shown as asked; a visitor still sees the whole catalogue.
    assert list(client.get("/catalogue/", {"department": "13"}).context["devices"]) == [marseille]
    client.logout()
    assert set(client.get("/catalogue/").context["devices"]) == {saint_denis, marseille}


def test_a_device_elsewhere_says_why_before_the_household_tries(client, programme):
    client.force_login(eligible())
    page = client.get(f"/catalogue/{in_department('13').pk}/").content.decode()
    assert "data-territory-block" in page and "département 13" in page
    assert "Réserver cet appareil" not in page
    assert "Réserver cet appareil" in client.get(f"/catalogue/{in_department('93').pk}/").content.decode()


def test_a_referrer_choosing_for_a_household_sees_its_programmes_devices(client, programme):
    referrer, household = referrer_with_household()
    here, elsewhere = in_department("75"), in_department("13")
    client.force_login(referrer)
    assert list(client.get("/catalogue/", {"pour": household.pk}).context["devices"]) == [here]
    page = client.get(f"/catalogue/{elsewhere.pk}/", {"pour": household.pk}).content.decode()
    assert "Ce foyer ne peut pas réserver cet appareil" in page
    assert f'href="/catalogue/?pour={household.pk}"' in page


def test_a_household_just_found_eligible_sees_its_territory_at_once(client, programme):
    household = HouseholdProfileFactory().user
    saint_denis, marseille = in_department("93"), in_department("13")
    client.force_login(household)
    assert set(client.get("/catalogue/").context["devices"]) == {saint_denis, marseille}
    eligible(household)
    assert list(client.get("/catalogue/").context["devices"]) == [saint_denis]
    programme.departments = ["13"]
    programme.save()
    assert list(client.get("/catalogue/").context["devices"]) == [marseille]


def test_a_household_that_moved_out_of_its_programme_is_told_before_waiting_for_ever(client, programme):
    household = eligible(programme=ProgrammeFactory(departments=["75"]))  # now lives in 93, decided in Paris
    client.force_login(household)
    page = client.post("/demandes/liste-attente/", {"device_type": "laptop"})
    assert "Vous habitez dans le département 93, que votre programme" in page.content.decode()
    assert not WaitlistEntry.objects.exists()
    referrer, followed = referrer_with_household()
    followed.household.postcode = "13001"
    followed.household.save()
    with pytest.raises(Forbidden, match="Ce foyer habite dans le département 13"):
        join(referrer, beneficiary=followed)


def test_the_waitlist_offers_devices_of_the_whole_programme_territory_in_ranking_order(programme):
    """A household of Saint-Denis under a 93 + 75 programme is offered a laptop listed in Paris, as it could
    claim it; the programme's queue keeps its order (points, then seniority) across both departments; a household
    of another programme (13) is offered neither, however long it has waited."""
    marseille_programme = ProgrammeFactory(departments=["13"])
    from_marseille = eligible(programme=marseille_programme, postcode="13001")
    join(from_marseille)  # the earliest of all, but its programme covers 13 only
    saint_denis, paris, attested = eligible(), eligible(postcode="75011"), eligible(postcode="75019")
    join(saint_denis)
    join(paris)
    attested.eligibility_decisions.update(priorities=[PrioritySituation.NO_COMPUTER])
    join(attested, no_computer=True)  # the last to join, but its situation is backed: more points
    ranked = waitlist.ranked_waitlist(programme=programme, device_type="laptop")
    assert [entry.beneficiary for entry in ranked] == [attested, saint_denis, paris]
    offered = [waitlist.offer_device(in_department("75").pk) for _ in range(3)]
    assert [claim.beneficiary for claim in offered] == [attested, saint_denis, paris]
    assert {claim.device.workshop.department for claim in offered} == {"75"}
    assert WaitlistEntry.objects.get(beneficiary=from_marseille).status == WaitlistStatus.WAITING
    assert waitlist.offer_device(in_department("13").pk).beneficiary == from_marseille
