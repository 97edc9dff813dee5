import pytest

from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.inventory import WorkshopProfileFactory


@pytest.fixture
def workshop(db):
    organisation = OrganisationFactory(workshop=True, department="93")
    WorkshopProfileFactory(recycles=True, organisation=organisation)
    return organisation


@pytest.fixture
def technician(workshop):
    return member_of(workshop)


@pytest.fixture
def other_workshop(db):
    return OrganisationFactory(workshop=True)
