"""`make bench`: every benchmark figure of the project in one table, written to docs/benchmarks.md.

Nothing here asserts on time: the figures are printed with the machine, the database and the data size.
Load is sent to 127.0.0.1 only and every loop is bounded in count and time.
"""

import io

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from inventory.models import Device
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.bench.data import bench_organisation, bench_user, delete_devices, listed_devices
from reuse.bench.report import ROOT, machine_lines, write_report
from reuse.bench.server import Gunicorn, latency, locust, throughput
from reuse.bench.timing import CATALOGUE_API_URL, CATALOGUE_PAGE_URL
from reuse.bench.weights import browser_weights

# Each benchmark, with its arguments for a full run and for a quick smoke run. The catalogue is measured
# before bench_scale fills the demo workshop up to 1,000,000 devices (by COPY), so that its sizes (1k, 10k, 100k
# listed) are what they say; bench_scale runs after the gunicorn figures, with its own gunicorn and /healthz.
SUB_BENCHMARKS = {
    "bench_import": ({}, {"rows": [2_000], "glpi_rows": [1_000]}),
    "bench_claims": ({}, {"sizes": "1000", "repeat": 5}),
    "bench_pages": ({}, {}),
    # A large donor's fleet from sign-up to tax receipt: after the catalogue's figures (its devices are never listed).
    "bench_donor": ({}, {"rows": 300}),
}
LATE_BENCHMARKS = {
    "bench_scale": ({"force": True}, {"force": True, "devices": 20_000, "repeat": 5, "seconds": 2}),
    # The production topology: the same load split between two instances on one database and one Redis cache.
    "bench_cluster": ({"no_write": True}, {"no_write": True, "seconds": 10}),
}
GUNICORN_TAG = "BENCHG-"
LOAD_USERS = 20


def grow_listed(target: int) -> int:
    """Top the catalogue up to `target` listed devices with throwaway rows (removed by remove_grown)."""
    listed = Device.objects.listed().count()
    if listed < target:
        workshop = bench_organisation(
            kind=OrganisationKind.WORKSHOP, name=f"{GUNICORN_TAG}atelier", rna="W000000001"
        )
        operator = bench_user(f"{GUNICORN_TAG.lower()}operateur@example.invalid")
        start = Device.objects.filter(asset_tag__startswith=GUNICORN_TAG).count()
        listed_devices(
            workshop=workshop,
            operator=operator,
            prefix=GUNICORN_TAG,
            start=start,
            stop=start + target - listed,
        )
    return Device.objects.listed().count()


def remove_grown() -> None:
    # The grown rows have no claims or photos (the load run only reads).
    delete_devices(GUNICORN_TAG)
    Organisation.objects.filter(name=f"{GUNICORN_TAG}atelier").delete()
    User.objects.filter(email__startswith=GUNICORN_TAG.lower()).delete()


class Command(BaseCommand):
    help = "Run every benchmark, print the figures and write them to docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="Smaller sizes and shorter runs (a smoke run)."
        )
        parser.add_argument(
            "--load-seconds", type=int, default=120, help="Duration of the load run (max 300)."
        )
        parser.add_argument(
            "--no-write", action="store_true", help="Print only; do not update docs/benchmarks.md."
        )

    def handle(self, *args, quick: bool, load_seconds: int, no_write: bool, **options):
        load_seconds = max(5, min(load_seconds, 300))
        if quick:
            load_seconds = min(load_seconds, 15)
        sections = ["## Machine", *machine_lines(), ""]
        self.stdout.write("\n".join(sections))
        available = get_commands()
        sections += self.run_benchmarks(SUB_BENCHMARKS, available, quick)
        server_lines = self.server_figures(load_seconds, quick)
        sections += ["## gunicorn (2 workers, 127.0.0.1)", "```", *server_lines, "```", ""]
        sections += self.run_benchmarks(LATE_BENCHMARKS, available, quick)
        if not no_write:
            target = write_report(sections, "make bench" + (" (quick)" if quick else ""))
            self.stdout.write(f"Written to {target.relative_to(ROOT)}")

    def run_benchmarks(self, benchmarks: dict, available: dict, quick: bool) -> list[str]:
        sections = []
        for name, (full, smoke) in benchmarks.items():
            if name not in available:
                sections += [f"## {name}", "(not available in this build)", ""]
                continue
            buffer = io.StringIO()
            self.stdout.write(f"## {name}")
            call_command(name, stdout=buffer, **(smoke if quick else full))
            output = buffer.getvalue().rstrip()
            self.stdout.write(output + "\n")
            sections += [f"## {name}", "```", output, "```", ""]
        return sections

    def server_figures(self, load_seconds: int, quick: bool) -> list[str]:
        lines = []
        count = 30 if quick else 200
        window = 3 if quick else 15
        sizes = [1_000] if quick else [1_000, 10_000, 100_000]
        # Static files as production serves them (whitenoise from STATIC_ROOT), for the browser's page weights.
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            with Gunicorn() as server:
                lines += browser_weights(server.url)
                for size in sizes:
                    listed = grow_listed(size)
                    lines.append(f"{listed} listed devices")
                    for label, path in [
                        ("healthz", "/healthz"),
                        ("catalogue page", CATALOGUE_PAGE_URL),
                        ("catalogue API", CATALOGUE_API_URL),
                    ]:
                        figures = latency(server.url + path, count)
                        lines.append(
                            f"  {label:<16} median {figures['median']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
                            f"errors {figures['errors']}/{count}"
                        )
                lines += self.throughput_and_load(server, window, load_seconds)
        finally:
            remove_grown()
        for line in lines:
            self.stdout.write(line)
        return lines

    def throughput_and_load(self, server, window, load_seconds) -> list[str]:
        lines = []
        base = throughput(server.url + "/healthz", window)
        page = throughput(server.url + CATALOGUE_PAGE_URL, window)
        lines.append(f"throughput       /healthz {base:7.1f} req/s  /catalogue/ {page:7.1f} req/s")
        lines.append(f"ratio            catalogue / healthz = {page / base:.2f}")
        lines += self.load_run(server.url, load_seconds)
        return lines

    def load_run(self, url: str, seconds: int) -> list[str]:
        rows = locust(url, LOAD_USERS, seconds, ROOT / ".bench" / "locust")
        lines = [
            f"load run         {seconds} s, {LOAD_USERS} users, mixed journeys (reuse/bench/locustfile.py)"
        ]
        for values in rows:
            lines.append(
                f"  {values['Name']:<22} requests {values['Request Count']:>6}  failures {values['Failure Count']:>4}"
                f"  median {values['Median Response Time']:>5} ms  p99 {values['99%']:>5} ms"
            )
        return lines
