from tests import fixtures

programme = fixtures.programme
