"""The one département table: every code INSEE publishes, a centre for each, and the distance filter built on it."""

import pytest

from reuse.accounts.validators import department_from_postcode, validate_department
from reuse.programmes.departments import (
    DEPARTMENTS,
    department_of_postcode,
    departments_near,
    parse_departments,
    time_zone_name,
)
from tests.factories.accounts import OrganisationFactory
from tests.factories.inventory import DeviceFactory

METROPOLITAN = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
OVERSEAS = ["971", "972", "973", "974", "975", "976"]


def test_every_french_departement_is_known_with_a_centre_in_france():
    assert sorted(DEPARTMENTS) == sorted(METROPOLITAN + OVERSEAS)
    for code in METROPOLITAN:
        department = DEPARTMENTS[code]
        assert department.name
        # Metropolitan France and Corsica lie within this box: a swapped latitude/longitude would not.
        assert 41.3 <= department.lat <= 51.1 and -5.2 <= department.lon <= 9.6, code
    assert "20" not in DEPARTMENTS


@pytest.mark.parametrize(
    "postcode,code",
    [
        ("13001", "13"),
        ("20000", "2A"),
        ("20190", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("97100", "971"),
        ("97600", "976"),
        ("01000", "01"),
        ("95000", "95"),
    ],
)
def test_postcode_to_departement(postcode, code):
    assert department_of_postcode(postcode) == code
    assert department_from_postcode(postcode) == code


@pytest.mark.parametrize("postcode", ["00100", "96000", "97700", "1300", "abcde", ""])
def test_a_postcode_of_no_departement_is_refused(postcode):
    assert department_of_postcode(postcode) == ""
    with pytest.raises(Exception, match="code postal"):
        department_from_postcode(postcode)


def test_department_validation_and_parsing_share_the_table():
    validate_department("2A")
    with pytest.raises(Exception, match="département"):
        validate_department("20")
    assert parse_departments("93, 95;2a 75 93 99") == (["93", "95", "2A", "75"], ["99"])


def test_marseille_finds_its_neighbours():
    near = departments_near("13001", 100)
    assert {"13", "84", "83"} <= set(near)
    assert "75" not in near
    assert departments_near("13001", 10) == ["13"]
    # Overseas: its own island, never the mainland.
    assert departments_near("97400", 500) == ["974"]


@pytest.mark.django_db
def test_catalogue_near_marseille_lists_a_device_in_the_var(client, programme):
    toulon = OrganisationFactory(open_workshop=True, postcode="83000", department="83", city="Toulon")
    paris = OrganisationFactory(open_workshop=True, postcode="75011", department="75", city="Paris")
    in_var = DeviceFactory(listed=True, workshop=toulon)
    DeviceFactory(listed=True, workshop=paris)
    listed = client.get("/catalogue/", {"near": "13001", "radius_km": "100"}).context["devices"]
    assert [device.pk for device in listed] == [in_var.pk]


@pytest.mark.parametrize(
    "postcode,zone",
    [
        ("97400", "Indian/Reunion"),  # Saint-Denis, La Réunion
        ("97600", "Indian/Mayotte"),  # Mamoudzou
        ("97110", "America/Guadeloupe"),  # Pointe-à-Pitre
        ("97200", "America/Martinique"),  # Fort-de-France
        ("97300", "America/Cayenne"),  # Cayenne
        ("97500", "America/Miquelon"),  # Saint-Pierre
        ("20000", "Europe/Paris"),  # Ajaccio
        ("20200", "Europe/Paris"),  # Bastia
        ("75011", "Europe/Paris"),
    ],
)
def test_each_territory_has_its_legal_time(postcode, zone):
    from zoneinfo import available_timezones

    assert time_zone_name(department_of_postcode(postcode)) == zone
    assert zone in available_timezones()


@pytest.mark.parametrize(
    "postcode,code",
    [
        # Real communes (La Poste, Base officielle des codes postaux, data.gouv.fr), and their CEDEX codes, which
        # begin as the département's: La Poste gives a CEDEX code inside the département's range.
        ("97400", "974"),  # Saint-Denis
        ("97405", "974"),  # Saint-Denis CEDEX
        ("97600", "976"),  # Mamoudzou
        ("97500", "975"),  # Saint-Pierre
        ("97300", "973"),  # Cayenne
        ("20000", "2A"),  # Ajaccio
        ("20090", "2A"),  # Ajaccio
        ("20137", "2A"),  # Porto-Vecchio
        ("20169", "2A"),  # Bonifacio
        ("20187", "2A"),  # Ajaccio CEDEX
        ("20200", "2B"),  # Bastia
        ("20250", "2B"),  # Corte
        ("20260", "2B"),  # Calvi
        ("20297", "2B"),  # Bastia CEDEX
        ("20620", "2B"),  # Biguglia
        ("92081", "92"),  # Paris La Défense CEDEX
        ("75700", "75"),  # Paris CEDEX 07
    ],
)
def test_real_communes_and_cedex_codes_find_their_departement(postcode, code):
    assert department_of_postcode(postcode) == code


@pytest.mark.parametrize(
    "postcode",
    [
        "00100",  # the Armed Forces' postal sector (SP), no département
        "98000",  # Monaco
        "98800",  # Nouméa: New Caledonia is served by no programme
        "98714",  # Papeete
    ],
)
def test_special_and_pacific_postcodes_are_no_departement(postcode):
    assert department_of_postcode(postcode) == ""
