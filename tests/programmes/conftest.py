from tests import fixtures

programme = fixtures.programme
staff_client = fixtures.staff_client
