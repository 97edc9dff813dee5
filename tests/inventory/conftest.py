import pytest

from tests import fixtures
from tests.factories.accounts import OrganisationFactory
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import declared_before_samples

# The recycling workshop of tests/fixtures.py and its technician.
workshop = fixtures.workshop
technician = fixtures.technician


@pytest.fixture
def bench_client(client, technician):
    """The test client, signed in as the workshop's technician."""
    client.force_login(technician)
    return client


@pytest.fixture
def other_workshop(db):
    return OrganisationFactory(workshop=True)


@pytest.fixture
def fleet(workshop):
    """The devices the samples describe, checked in from one donor's lot."""
    lot = LotFactory(workshop=workshop, received=True)
    declared_before_samples(lot)

    def make(serial, **kw):
        return DeviceFactory(workshop=workshop, lot=lot, serial=serial, cpu="", ram_gb=None, **kw)

    return {
        "lot": lot,
        "t480": make("PF1ABCDE", brand="Lenovo", model="ThinkPad T480"),
        "optiplex": make("H2B7Q03", brand="Dell", model="OptiPlex 7060", type="desktop", media_count=2),
        "elitebook": make("5CG8301XYZ", brand="HP", model="", type="laptop"),
        "acer": make("LUSEA0D010038879A01601", brand="", model=""),
        "latitude": make("6FJ8KL2", brand="Dell", model="Latitude 5490"),
    }
