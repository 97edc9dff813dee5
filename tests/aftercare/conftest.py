import pytest

from tests.factories.programmes import ProgrammeFactory


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture(autouse=True)
def _on_commit_runs_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
