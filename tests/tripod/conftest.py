from tests import fixtures

programme = fixtures.programme
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once
staff = fixtures.staff_client
