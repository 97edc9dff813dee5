"""Timing a page in-process (Django's test client): the one loop `bench_claims`, `bench_inventory` and
`bench_scale` use, with the SQL queries each request made."""

import statistics
import time
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The same filtered catalogue as a page and through the API: bench_claims times them in-process, `make bench`
# through gunicorn.
CATALOGUE_PAGE_URL = "/catalogue/?type=laptop&max_price=80&min_ram_gb=8&grade=B"
CATALOGUE_API_URL = "/api/v1/catalogue?type=laptop&max_price_cents=8000&grade=B&limit=20"


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * fraction + 0.5) - 1))]


@dataclass
class Timings:
    milliseconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.milliseconds)

    @property
    def p95(self) -> float:
        return percentile(self.milliseconds, 0.95)

    @property
    def most_queries(self) -> int:
        return max(self.queries)

    @property
    def query_counts(self) -> list[int]:
        """The distinct numbers of queries seen: one number when the page's queries do not depend on luck."""
        return sorted(set(self.queries))


def time_requests(client, url, repeat, *, params=None, expect=200, label="", stop=None) -> Timings:
    """`repeat` GETs of `url` after one warm-up (templates, process caches: not the steady state), stopped
    early (after one request at least) once `time.monotonic()` passes `stop`. An unexpected status stops the
    benchmark: a figure measured on an error page would mean nothing."""
    client.get(url, params)
    timings = Timings()
    for _ in range(repeat):
        if timings.milliseconds and stop is not None and time.monotonic() > stop:
            break
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            response = client.get(url, params)
            timings.milliseconds.append((time.perf_counter() - begin) * 1000)
        if response.status_code != expect:
            raise CommandError(f"{label or url}: HTTP {response.status_code}")
        timings.queries.append(len(captured))
    return timings
