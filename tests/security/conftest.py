"""The access matrix's world, built once per module."""

import pytest
from django.db import transaction

from tests import fixtures
from tests.security import acting
from tests.security.access import World

staff = fixtures.staff_client
programme = fixtures.programme
# A person in two organisations of one kind (tests/security/test_acting_organisation*.py).
associations, donors, referrers = acting.associations, acting.donors, acting.referrers


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (like setUpTestData) and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)
