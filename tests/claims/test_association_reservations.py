"""An association reserves several devices in one go: so many of each type, or ticked one by one, within its cap."""

import re

import pytest

from inventory.enums import DeviceState
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.errors import Forbidden, Unavailable
from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.eligibility import eligible_association
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

URL = "/demandes/association/"


@pytest.fixture
def association(client, programme):
    organisation, member = eligible_association(programme)
    client.force_login(member)
    return organisation


def test_every_device_of_the_list_has_its_own_labelled_checkbox(client, association):
    devices = [DeviceFactory(listed=True, brand="Dell", model=f"Latitude {n}") for n in range(3)]
    html = client.get(URL).content.decode()
    for device in devices:
        box = re.search(rf'<input type="checkbox" name="devices" value="{device.pk}"[^>]*id="([^"]+)"', html)
        assert box, device
        label = re.search(rf'<label for="{box.group(1)}">([^<]+)</label>', html)
        assert label and device.model in label.group(1)
    assert "<legend>Appareils à réserver" in html


def test_ticking_several_devices_reserves_them_all_in_one_go(client, association):
    devices = [DeviceFactory(listed=True) for _ in range(3)]
    response = client.post(URL, {"mode": "pick", "devices": [devices[0].pk, devices[2].pk]}, follow=True)
    assert "2 appareil(s) réservé(s)." in response.content.decode()
    claimed = Claim.objects.filter(organisation=association)
    assert sorted(claimed.values_list("device", flat=True)) == [devices[0].pk, devices[2].pk]
    assert claimed.values("batch").distinct().count() == 1


def test_asking_for_quantities_reserves_the_cheapest_devices_of_each_type(client, association):
    laptops = [DeviceFactory(listed=True, price_cents=price) for price in (3000, 1000, 2000)]
    phones = [DeviceFactory(listed=True, phone=True, price_cents=price) for price in (500, 0)]
    elsewhere = DeviceFactory(
        listed=True, workshop=OrganisationFactory(open_workshop=True, department="13"), price_cents=0
    )
    html = client.get(URL).content.decode()
    assert "Ordinateur portable (3 disponible(s))" in html and "Smartphone (2 disponible(s))" in html
    client.post(URL, {"mode": "quantities", "laptop": "2", "smartphone": "1"})
    claimed = set(Claim.objects.filter(organisation=association).values_list("device", flat=True))
    assert claimed == {laptops[1].pk, laptops[2].pk, phones[1].pk}
    elsewhere.refresh_from_db()
    assert elsewhere.state == DeviceState.LISTED  # another department's workshop is not offered


def test_more_than_available_is_refused_with_the_number_there_is_and_nothing_is_reserved(client, association):
    DeviceFactory(listed=True)
    response = client.post(URL, {"mode": "quantities", "laptop": "3"})
    assert response.status_code == 422
    assert "Il n’y en a que 1 de disponible(s) : réduisez la quantité." in response.content.decode()
    assert not Claim.objects.exists()
    # The same rule in the service, for a list that changed between the page and the click.
    with pytest.raises(Unavailable, match="que 1 appareil"):
        reservations.reserve_quantities(
            actor=association.memberships.get().user, organisation=association, quantities={"laptop": 2}
        )
    assert not Claim.objects.exists()


def test_the_number_offered_is_the_smaller_of_what_is_available_and_what_the_cap_allows(client, association):
    """The cap is 5 a year: with 8 laptops listed the page offers 5 and says it is the cap that limits."""
    for _ in range(8):
        DeviceFactory(listed=True)
    DeviceFactory(listed=True, phone=True)
    reservations.create_batch_claims(
        actor=association.memberships.get().user,
        organisation=association,
        device_ids=[DeviceFactory(listed=True, monitor=True).pk],
    )
    html = client.get(URL).content.decode()
    assert "Vous pouvez encore en réserver 4." in html
    label = re.search(r'<label for="qty_laptop">([^<]*)', html).group(1)
    assert label == "Ordinateur portable (4 au plus : plafond annuel de l’association ; 8 disponible(s))"
    assert 'max="4"' in re.search(r'<input[^>]*id="qty_laptop"[^>]*>', html).group(0)
    # Where fewer are listed than the cap allows, what is available is the limit, as before.
    assert "Smartphone (1 disponible(s))" in html

    response = client.post(URL, {"mode": "quantities", "laptop": "5"})
    assert response.status_code == 422
    assert "Votre association peut encore réserver 4 appareil(s) cette année (plafond annuel)" in (
        response.content.decode()
    )
    both = client.post(URL, {"mode": "quantities", "laptop": "4", "smartphone": "1"}).content.decode()
    assert "Au total, votre association peut encore réserver 4 appareil(s) cette année" in both
    assert Claim.objects.filter(organisation=association).count() == 1


def test_the_yearly_cap_still_refuses_the_whole_batch_in_the_service(client, association):
    devices = [DeviceFactory(listed=True) for _ in range(6)]
    with pytest.raises(Forbidden, match="Plafond annuel atteint : 5 appareils par an"):
        reservations.reserve_quantities(
            actor=association.memberships.get().user, organisation=association, quantities={"laptop": 6}
        )
    # Ticked one by one, the whole batch is refused too, and the page says only that.
    html = client.post(URL, {"mode": "pick", "devices": [d.pk for d in devices]}).content.decode()
    assert "Plafond annuel atteint : 5 appareils par an" in html
    assert "Corrigez les champs signalés" not in html
    assert not Claim.objects.exists()


def test_a_cap_reached_says_so_instead_of_offering_devices(client, association):
    devices = [DeviceFactory(listed=True) for _ in range(6)]
    reservations.create_batch_claims(
        actor=association.memberships.get().user,
        organisation=association,
        device_ids=[d.pk for d in devices[:5]],
    )
    html = client.get(URL).content.decode()
    assert "data-cap-reached" in html and "les 5 appareils que permet son plafond annuel" in html
    assert 'name="mode"' not in html


def test_nothing_chosen_is_a_clear_error(client, association):
    DeviceFactory(listed=True)
    quantities = client.post(URL, {"mode": "quantities", "laptop": "0"}).content.decode()
    assert "Indiquez combien d’appareils vous voulez, pour au moins un type." in quantities
    picked = client.post(URL, {"mode": "pick"}).content.decode()
    assert "Cochez au moins un appareil." in picked
    assert not Claim.objects.exists()


def test_a_device_taken_meanwhile_leaves_the_whole_selection_unreserved(client, association):
    first, second = DeviceFactory(listed=True), DeviceFactory(listed=True)
    response = client.get(URL)
    assert str(second.pk) in response.content.decode()
    second.state = DeviceState.RESERVED
    second.save(update_fields=["state"])
    refused = client.post(URL, {"mode": "pick", "devices": [first.pk, second.pk]})
    assert "n’est plus proposé" in refused.content.decode()
    assert not Claim.objects.exists()


def test_an_association_waiting_for_verification_is_told_so_not_that_it_is_suspended(client, programme):
    # Just signed up (« Demande envoyée … L’équipe Rebond va vérifier … »), the member opens a device page.
    member = member_of(OrganisationFactory(association=True, pending=True))
    client.force_login(member)
    device = DeviceFactory(listed=True)
    page = client.post(f"/catalogue/{device.pk}/demander/", {}).content.decode()
    assert "suspendue" not in page
    assert "attend encore la vérification de l’équipe Rebond" in page
    answer = client.post("/api/v1/claims", {"device_id": device.pk}, content_type="application/json")
    assert answer.status_code == 403 and "vérification" in answer.json()["detail"]
