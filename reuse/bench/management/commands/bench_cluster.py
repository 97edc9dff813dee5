"""`make bench` (or alone): the bounded load run against two gunicorn instances sharing one database and one
Redis cache, as the production topology runs (docs/deploy.md). Figures only, nothing asserts on time.

Two instances (2 workers each) on two loopback ports; the load of the single-instance run (20 users, mixed
journeys of reuse/bench/locustfile.py) split evenly between them, as a round-robin load balancer would.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reuse.bench.report import ROOT, write_section
from reuse.bench.server import Gunicorn, locust

SECTION = "## Two instances (load run)"
USERS = 20
# Two instances start at once on a busy machine: each is given longer to answer /healthz.
START_SECONDS = 120


def load_after() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def ms(value: str) -> str:
    return f"{float(value):.0f}"


class Command(BaseCommand):
    help = "Load run against two gunicorn instances on one database and one Redis cache (127.0.0.1 only)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=30, help="length of the load run (5 to 120 s)")
        parser.add_argument("--no-write", action="store_true", help="print only (make bench writes the file)")

    def handle(self, *args, seconds: int, no_write: bool, **options):
        seconds = max(5, min(seconds, 120))
        cache_url = os.environ.get("CACHE_URL") or os.environ.get(
            "BENCH_CACHE_URL", "redis://127.0.0.1:6379/12"
        )
        if not cache_url.startswith("redis"):
            raise CommandError("The two instances share a Redis cache: set CACHE_URL (redis://...).")
        os.environ["CACHE_URL"] = cache_url  # inherited by both instances
        load_before = load_after()
        first, second = Gunicorn(start_seconds=START_SECONDS), Gunicorn(start_seconds=START_SECONDS)
        with first, second:
            started = time.monotonic()
            with ThreadPoolExecutor(2) as pool:
                runs = list(
                    pool.map(
                        lambda pair: locust(
                            pair[0].url, USERS // 2, seconds, ROOT / ".bench" / f"cluster-{pair[1]}"
                        ),
                        [(first, "a"), (second, "b")],
                    )
                )
            elapsed = time.monotonic() - started
        lines = [
            f"2 gunicorn instances x 2 workers, shared PostgreSQL `{settings.DATABASES['default']['NAME']}` and "
            f"Redis cache; {USERS} users split evenly, {seconds} s, mixed journeys (reuse/bench/locustfile.py)",
            f"machine: {os.cpu_count()} cores, load average before the run {load_before}, after {load_after()} "
            "(other work on the machine slows every figure)",
        ]
        total_requests = total_failures = 0
        for name, rows in zip(("instance A", "instance B"), runs, strict=True):
            aggregated = next(row for row in rows if row["Name"] == "Aggregated")
            total_requests += int(aggregated["Request Count"])
            total_failures += int(aggregated["Failure Count"])
            lines.append(
                f"  {name:<11} requests {aggregated['Request Count']:>6}  failures {aggregated['Failure Count']:>4}"
                f"  {float(aggregated['Requests/s']):7.1f} req/s  median {ms(aggregated['Median Response Time']):>5} ms"
                f"  p95 {ms(aggregated['95%']):>5} ms  p99 {ms(aggregated['99%']):>5} ms"
            )
        lines.append(
            f"  both        requests {total_requests:>6}  failures {total_failures:>4}  "
            f"{total_requests / seconds:7.1f} req/s over the run (wall clock {elapsed:.0f} s with start-up)"
        )
        for rows, name in zip(runs, ("A", "B"), strict=True):
            for row in rows:
                if row["Name"] != "Aggregated":
                    lines.append(
                        f"    {name} {row['Name']:<22} requests {row['Request Count']:>6}  failures "
                        f"{row['Failure Count']:>4}  median {ms(row['Median Response Time']):>5} ms  "
                        f"p99 {ms(row['99%']):>5} ms"
                    )
        self.stdout.write("\n".join(lines))
        if not no_write:
            target = write_section(SECTION, "manage.py bench_cluster", lines)
            self.stdout.write(f"Written to {target.relative_to(ROOT)}")
