import pytest

from tests.claims.factories import ProgrammeFactory


@pytest.fixture
def programme(db):
    return ProgrammeFactory()
