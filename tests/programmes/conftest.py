import pytest

from tests.factories.programmes import ProgrammeFactory


@pytest.fixture
def programme(db):
    return ProgrammeFactory()
