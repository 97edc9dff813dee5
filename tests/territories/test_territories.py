"""Fragile territories (issue 19): staff-kept lists with their source, weights per programme, territory from the
address or a referrer's attestation (never the household's tick box), the waitlist order, the public pages."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reuse.claims.enums import ClaimStatus
from reuse.claims.services import waitlist
from reuse.errors import NotFound
from reuse.territories import services
from reuse.territories.enums import TerritoryKind, TerritorySource
from reuse.territories.models import TerritoryArea, TerritoryList, TerritoryWeights
from tests.aftercare.helpers import handed_over
from tests.claims.helpers import join
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def a_list(kind, *, postcodes=(), departments=(), active=True):
    territory_list = TerritoryList.objects.create(
        kind=kind,
        name=f"Liste {kind}",
        source_name="ANCT, open data",
        source_url="https://www.data.gouv.fr/",
        checked_on=date(2026, 11, 1),
        is_active=active,
    )
    for postcode in postcodes:
        TerritoryArea.objects.create(territory_list=territory_list, postcode=postcode, commune="Commune")
    for department in departments:
        TerritoryArea.objects.create(territory_list=territory_list, department=department)
    return territory_list


def waiting_for_a_laptop(household, *, lives_in_qpv_zrr=False):
    """The household joins the laptop waitlist with no other priority ticked."""
    return join(household, lives_in_qpv_zrr=lives_in_qpv_zrr)


def test_the_territory_comes_from_the_postcode_or_the_whole_department(programme):
    a_list(TerritoryKind.RURAL, postcodes=["23200"])
    a_list(TerritoryKind.OVERSEAS, departments=["974"])
    a_list(TerritoryKind.QPV, postcodes=["93200"], active=False)
    assert services.kinds_from_address(postcode="23200", department="23") == {"rural"}
    assert services.kinds_from_address(postcode="97400", department="974") == {"overseas"}
    assert services.kinds_from_address(postcode="93200", department="93") == set()


def test_the_households_own_tick_box_earns_no_territory_points(programme):
    TerritoryWeights.objects.create(programme=programme, weight_qpv=50, weight_rural=50)
    household = eligible(postcode="93200")
    entry = waiting_for_a_laptop(household, lives_in_qpv_zrr=True)
    assert services.territory_points([entry]) == {entry.pk: 0}
    assert services.territories_of([household.pk]) == {household.pk: {}}


def test_a_referrer_attests_a_qpv_under_mandate_and_nobody_else_can(client, programme):
    referrer, household = referrer_with_household()
    services.attest(actor=referrer, household=household, kinds=["qpv"])
    assert services.territories_of([household.pk])[household.pk] == {"qpv": TerritorySource.ATTESTATION}
    stranger, _other = referrer_with_household()
    with pytest.raises(NotFound):
        services.attest(actor=stranger, household=household, kinds=["qpv"])
    with pytest.raises(NotFound):
        services.attest(actor=household, household=household, kinds=["rural"])
    client.force_login(stranger)
    assert client.get(reverse("territories:attest", args=[household.pk])).status_code == 404
    client.force_login(referrer)
    response = client.post(reverse("territories:attest", args=[household.pk]), {})
    assert response.status_code == 302
    # Nothing ticked withdraws the attestation.
    assert services.territories_of([household.pk])[household.pk] == {}


def test_the_waitlist_serves_the_household_of_a_fragile_territory_first(programme):
    TerritoryWeights.objects.create(programme=programme, weight_rural=30)
    a_list(TerritoryKind.RURAL, postcodes=["93240"])
    city = eligible(postcode="93200")
    countryside = eligible(postcode="93240")
    start = timezone.now()
    with time_machine.travel(start):
        first = waiting_for_a_laptop(city)
    with time_machine.travel(start + timedelta(minutes=5)):
        second = waiting_for_a_laptop(countryside)
        ranked = waitlist.ranked_waitlist(programme=programme, device_type="laptop")
        assert [e.pk for e in ranked] == [second.pk, first.pk]
        assert waitlist.waitlist_position(second) == 1
        device = DeviceFactory(listed=True, free=True)
        offered = waitlist.offer_device(device.pk)
    assert offered.beneficiary == countryside and offered.status == ClaimStatus.CONFIRMED


def test_without_weights_the_earliest_comes_first(programme):
    a_list(TerritoryKind.RURAL, postcodes=["93240"])
    city = eligible(postcode="93200")
    countryside = eligible(postcode="93240")
    start = timezone.now()
    entries = []
    for minutes, household in [(0, city), (5, countryside)]:
        with time_machine.travel(start + timedelta(minutes=minutes)):
            entries.append(waiting_for_a_laptop(household))
    ranked = waitlist.ranked_waitlist(programme=programme, device_type="laptop")
    assert [e.pk for e in ranked] == [entries[0].pk, entries[1].pk]


def test_the_priority_page_publishes_the_weights_and_the_sources(client, programme):
    TerritoryWeights.objects.create(programme=programme, weight_qpv=40, weight_rural=25, weight_overseas=35)
    a_list(TerritoryKind.QPV, postcodes=["93200"])
    page = client.get(reverse("territories:priority")).content.decode()
    assert (
        "data-weight-qpv>40<" in page
        and "data-weight-rural>25<" in page
        and "data-weight-overseas>35<" in page
    )
    assert "ANCT, open data" in page and "https://www.data.gouv.fr/" in page


def test_the_impact_page_counts_devices_by_territory_type(client, programme):
    a_list(TerritoryKind.RURAL, postcodes=["93240"])
    household = eligible(postcode="93240")
    claim, _tech = handed_over(household=household)
    assert claim.territory.kinds == ["rural"]
    from donations.signals import sections_for
    from inventory.models import Device

    (section,) = [s for s in sections_for(devices=Device.objects.all(), page="public") if "outside" in s]
    assert dict((str(label), n) for label, n in section["rows"])[str(TerritoryKind.RURAL.label)] == 1
    assert client.get(reverse("donations:public_impact")).status_code == 200
