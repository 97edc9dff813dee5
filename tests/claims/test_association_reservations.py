"""An association reserves several devices in one go: so many of each type, or ticked one by one, within its cap."""

import re

import pytest

from inventory.enums import DeviceState
from reuse.claims import services
from reuse.claims.models import Claim
from reuse.errors import Unavailable
from tests.factories.accounts import OrganisationFactory
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
        services.reserve_quantities(
            actor=association.memberships.get().user, organisation=association, quantities={"laptop": 2}
        )
    assert not Claim.objects.exists()


def test_the_yearly_cap_refuses_the_whole_batch_and_says_only_that(client, association):
    for _ in range(6):
        DeviceFactory(listed=True)
    response = client.post(URL, {"mode": "quantities", "laptop": "6"})
    html = response.content.decode()
    assert "Plafond annuel atteint : 5 appareils par an" in html
    # A refusal, not a form to correct: the "correct the fields" banner is not shown.
    assert "Corrigez les champs signalés" not in html
    assert not Claim.objects.exists()


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
