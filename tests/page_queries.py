"""How many queries a page makes once the process's caches are warm, for tests that it does not grow with data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def steady_queries(client, url: str) -> int:
    """The queries of a GET of `url` after a first one (which fills the site and navigation caches)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)
