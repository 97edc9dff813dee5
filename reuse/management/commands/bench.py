"""`make bench`: every benchmark figure of the project in one table, written to docs/benchmarks.md.

Nothing here asserts on time: the figures are printed with the machine, the database and the data size.
Load is sent to 127.0.0.1 only and every loop is bounded in count and time.
"""

import io
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import connection

from reuse.bench.browser import CHROMIUM, CHROMIUM_ARGS
from reuse.claims.management.commands.bench_claims import CATALOGUE_API_URL, CATALOGUE_PAGE_URL

ROOT = Path(settings.BASE_DIR)
# Each app's own benchmark, with its arguments for a full run and for a quick smoke run.
# Each app's own benchmark, with its arguments for a full run and for a quick smoke run. The catalogue is measured
# before bench_inventory fills the demo workshop with 50,000 devices (a fifth of them listed), so that its sizes
# (1k, 10k, 100k listed) are what they say; bench_inventory runs after the gunicorn figures.
SUB_BENCHMARKS = {
    "bench_import": ({}, {"rows": [2_000], "glpi_rows": [1_000]}),
    "bench_claims": ({}, {"sizes": "1000", "repeat": 5}),
    "bench_pages": ({}, {}),
}
LATE_BENCHMARKS = {
    "bench_inventory": ({"force": True}, {"force": True, "devices": 2_000, "tags": 200, "repeat": 3}),
    # The production topology: the same load split between two instances on one database and one Redis cache.
    "bench_cluster": ({"no_write": True}, {"no_write": True, "seconds": 10}),
}
GUNICORN_TAG = "BENCHG-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine_lines() -> list[str]:
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            memory = f"{int(meminfo.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        memory = "unknown"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select version()")
            version = cursor.fetchone()[0].split(",")[0]
        else:
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return [
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, {memory} RAM",
        f"- Python {platform.python_version()}, {version} (database `{connection.settings_dict['NAME']}`)",
    ]


class Gunicorn:
    """gunicorn with 2 workers on a free loopback port, stopped on exit."""

    def __init__(self, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers

    def __enter__(self):
        # As in production: no debug, persistent database connections (reuse/settings/production.py).
        env = {**os.environ, "DJANGO_DEBUG": "0", "CONN_MAX_AGE": "60"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "reuse.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode()[-2000:])

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def timed_get(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return (time.perf_counter() - start) * 1000, status


def latency(url: str, count: int) -> dict:
    samples, errors = [], 0
    for _ in range(count):
        elapsed, status = timed_get(url)
        samples.append(elapsed)
        errors += status >= 400
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "errors": errors,
    }


def throughput(url: str, seconds: float, concurrency: int = 8, max_requests: int = 20_000) -> float:
    """Requests per second over a bounded window (time and count)."""
    done = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal done
        while time.monotonic() < deadline:
            with lock:
                if done >= max_requests:
                    return
                done += 1
            timed_get(url)

    start = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    return done / (time.monotonic() - start)


TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def browser_weights(base_url: str) -> list[str]:
    """Each budgeted page loaded by Chromium at phone size with an empty cache: every request it made, the bytes
    received, and those bytes gzipped where a reverse proxy would compress them (text), as a slow phone gets them."""
    from cms.management.commands.bench_pages import gzip_size, measured_pages

    if not Path(CHROMIUM).exists():
        return [f"browser page weights: not measured ({CHROMIUM} not found; apt-get install chromium)"]
    from playwright.sync_api import sync_playwright

    lines = ["browser page weights (Chromium, 360 px, empty cache; text gzipped as a proxy would send it)"]
    pages = measured_pages()  # before Playwright's event loop starts: the ORM refuses async contexts
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for label, path in pages:
                context = browser.new_context(viewport={"width": 360, "height": 780}, locale="fr-FR")
                page = context.new_page()
                responses = []
                page.on("response", lambda response, seen=responses: seen.append(response))
                start = time.perf_counter()
                page.goto(base_url + path, wait_until="load")
                load_ms = (time.perf_counter() - start) * 1000
                raw = sent = failed = 0
                for response in responses:
                    if response.status >= 400:
                        failed += 1
                    body = response.body() if 200 <= response.status < 300 else b""
                    raw += len(body)
                    kind = response.headers.get("content-type", "")
                    sent += gzip_size(body) if body and kind.startswith(TEXT_TYPES) else len(body)
                lines.append(
                    f"  {label:<12} {path:<28} {len(responses)} requests ({failed} failed)  "
                    f"{sent / 1024:5.1f} KB gzip  ({raw / 1024:5.1f} KB uncompressed)  load {load_ms:5.0f} ms"
                )
                context.close()
        finally:
            browser.close()
    return lines


def grow_listed(target: int) -> int:
    """Top the catalogue up to `target` listed devices with throwaway rows (removed by remove_grown)."""
    from inventory.models import Device
    from reuse.accounts.models import Organisation

    listed = Device.objects.listed().count()
    if listed >= target:
        return listed
    workshop, _ = Organisation.objects.get_or_create(
        name=f"{GUNICORN_TAG}atelier",
        kind="workshop",
        defaults=dict(
            rna="W000000001",
            address="1 rue du Banc",
            postcode="93200",
            city="Saint-Denis",
            department="93",
            status="approved",
        ),
    )
    start = Device.objects.filter(asset_tag__startswith=GUNICORN_TAG).count()
    types = ["laptop", "laptop", "desktop", "tablet", "smartphone"]
    batch = []
    for index in range(start, start + target - listed):
        batch.append(
            Device(
                workshop=workshop,
                asset_tag=f"{GUNICORN_TAG}{index:08d}",
                type=types[index % 5],
                brand="Dell",
                model=f"Latitude {5000 + index % 900}",
                state="listed",
                grade="ABC"[index % 3],
                price_cents=(index % 12) * 1000,
                ram_gb=(4, 8, 16)[index % 3],
                storage_gb=256,
                os="Linux Mint",
                keyboard_layout="azerty",
            )
        )
        if len(batch) == 5000:
            Device.objects.bulk_create(batch)
            batch = []
    Device.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inventory_device")
    return Device.objects.listed().count()


def remove_grown() -> None:
    from inventory.models import Device
    from reuse.accounts.models import Organisation

    # The grown rows have no events, photos or claims (the load run only reads): one DELETE, not the ORM's
    # per-object cascade and signals, which take minutes at 100k rows. A row that gained a reference fails loudly.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Device._meta.db_table} WHERE asset_tag LIKE %s", [f"{GUNICORN_TAG}%"])
    Organisation.objects.filter(name=f"{GUNICORN_TAG}atelier").delete()


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
            self.write_report(sections, quick)

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
        prefix = ROOT / ".bench" / "locust"
        prefix.parent.mkdir(exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "reuse" / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "-u",
            "20",
            "-r",
            "5",
            "--run-time",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
        ]
        subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 60)
        rows = (prefix.parent / "locust_stats.csv").read_text().splitlines()
        header = rows[0].split(",")
        lines = [f"load run         {seconds} s, 20 users, mixed journeys (reuse/bench/locustfile.py)"]
        for row in rows[1:]:
            values = dict(zip(header, row.split(","), strict=False))
            lines.append(
                f"  {values['Name']:<22} requests {values['Request Count']:>6}  failures {values['Failure Count']:>4}"
                f"  median {values['Median Response Time']:>5} ms  p99 {values['99%']:>5} ms"
            )
        return lines

    def write_report(self, sections: list[str], quick: bool):
        target = ROOT / "docs" / "benchmarks.md"
        target.parent.mkdir(exist_ok=True)
        command = "make bench" + (" (quick)" if quick else "")
        header = [
            "# Benchmarks",
            "",
            f"Produced by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "Figures only: nothing asserts on time. Re-run the command to refresh this file.",
            "",
        ]
        target.write_text("\n".join(header + sections) + "\n")
        self.stdout.write(f"Written to {target.relative_to(ROOT)}")
