"""Fixtures several test folders share; each folder's conftest.py imports those it uses."""

import pytest
from django.db import transaction

from tests.factories.accounts import UserFactory, member_of
from tests.factories.inventory import WorkshopProfileFactory
from tests.factories.programmes import ProgrammeFactory


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def checked_programme(db):
    """A programme that asks for every check it knows (documents, API particulier, declarations, mandates)."""
    return ProgrammeFactory(every_check=True)


@pytest.fixture(autouse=True)
def _on_commit_runs_at_once(monkeypatch):
    """The default pass wraps each test in a transaction that never commits: run on_commit work right away."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def workshop(db):
    """An approved workshop in Seine-Saint-Denis that recycles what it cannot reuse."""
    return WorkshopProfileFactory(recycles=True, organisation__department="93").organisation


@pytest.fixture
def technician(workshop):
    return member_of(workshop)


@pytest.fixture
def staff_client(client):
    """A client signed in as Rebond staff holding every admin permission."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client
