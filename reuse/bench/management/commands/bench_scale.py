"""The workshop's screens and the catalogue at national scale (1,000,000 devices), in-process and under gunicorn.

Seeds the demo workshop with devices by COPY (PostgreSQL) until the database holds `--devices`, with a verified
erasure record for every data-bearing device that went online (reuse.bench.scale), then measures each page:
p50/p95, SQL queries, and, under gunicorn, requests per second beside /healthz measured on the same server in the
same run. Bench mode: 1,000 scans in one batch. Every loop is bounded in count and in time (`--budget` seconds
for the measurements after the seeding, at most 20 s per page); the machine's load is printed beside the
figures. Nothing asserts on time.
"""

import os
import statistics
import time

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from donations.models import Lot
from inventory import counts, demo
from inventory.enums import DeviceState, DeviceType
from inventory.filters import encode_stock_cursor
from inventory.models import Device
from inventory.services.bench import bench_apply
from reuse.accounts import demo as accounts_demo
from reuse.accounts.backends import BACKEND
from reuse.bench import scale
from reuse.bench.server import Gunicorn, latency, load, paired_throughput
from reuse.bench.timing import time_requests

PAGE_SECONDS = 20
# Bench-mode batches of `--tags` scans: the first of a process, then the steady state.
BENCH_BATCHES = 3
WORKSHOP_EMAIL, HOUSEHOLD_EMAIL = "atelier@example.org", "beneficiaire@example.org"


def session_cookie(email: str) -> str:
    """The Cookie header of a signed-in session of the demo user `email`, for requests sent to gunicorn."""
    store = SessionStore()
    user = accounts_demo.demo_user(email)
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = BACKEND
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Command(BaseCommand):
    help = "Stock list, device page, catalogue and bench mode at 1,000,000 devices (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--devices", type=int, default=1_000_000, help="Devices in the database.")
        parser.add_argument("--repeat", type=int, default=40, help="Requests per page in-process.")
        parser.add_argument("--tags", type=int, default=1_000, help="Scans in one bench-mode batch.")
        parser.add_argument("--seconds", type=float, default=8, help="Throughput window per URL.")
        parser.add_argument("--budget", type=int, default=600, help="Seconds for all measurements.")
        parser.add_argument("--no-server", action="store_true", help="In-process figures only.")
        parser.add_argument("--force", action="store_true", help="Run outside DEBUG (creates demo accounts).")

    def handle(self, *args, devices, repeat, tags, seconds, budget, no_server, force, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_scale needs PostgreSQL (COPY): set DATABASE_URL.")
        if not settings.DEBUG and not force:
            raise CommandError("bench_scale crée les comptes de démonstration : ajoutez --force hors DEBUG.")
        started = time.monotonic()
        with open(os.devnull, "w") as quiet:
            accounts_demo.seed(stdout=quiet)
        self.workshop = demo.demo_workshop()
        self.actor = accounts_demo.demo_user(WORKSHOP_EMAIL)
        self.say(f"before seeding: {load()}")
        self.say(scale.seed(workshop=self.workshop, operator=self.actor, wanted=devices))
        # The budget is for the measurements; each page also stops after PAGE_SECONDS.
        self.deadline = time.monotonic() + budget
        total = Device.objects.count()
        mine = dict(counts.state_counts([self.workshop.pk]))
        self.say(
            f"database: {total} devices, {sum(mine.values())} in the measured workshop "
            f"({mine[DeviceState.LISTED]} listed); {load()}"
        )
        self.in_process(repeat)
        self.bench_mode(tags)
        if not no_server:
            self.server(seconds)
        self.say(f"measurements took {time.monotonic() - started:.0f} s in all; {load()}")

    def say(self, line=""):
        self.stdout.write(line)

    # In-process -------------------------------------------------------------------------------------------

    def measure(self, client, url, repeat, label):
        stop = min(self.deadline, time.monotonic() + PAGE_SECONDS)
        timings = time_requests(client, url, repeat, label=label, stop=stop)
        self.say(
            f"  {label:<34} p50 {timings.median:7.1f} ms  p95 {timings.p95:7.1f} ms"
            f"  {timings.most_queries:2d} queries  ({len(timings.milliseconds)} requests)"
        )

    def deep_cursor(self, position: int) -> str:
        row = (
            Device.objects.filter(workshop=self.workshop)
            .order_by("-received_at", "-pk")
            .only("pk", "received_at")[position : position + 1]
            .get()
        )
        return encode_stock_cursor(row)

    def in_process(self, repeat):
        client = Client()
        client.force_login(self.actor)
        anonymous = Client()
        household = Client()
        household.force_login(accounts_demo.demo_user(HOUSEHOLD_EMAIL))
        stock = reverse("inventory:stock")
        size = sum(n for _, n in counts.state_counts([self.workshop.pk]))
        middle = self.deep_cursor(size // 2)
        lot = Lot.objects.filter(workshop=self.workshop, devices__isnull=False).first()
        sample = Device.objects.filter(
            workshop=self.workshop, state=DeviceState.LISTED, type=DeviceType.LAPTOP
        )
        device = sample.filter(erasures__isnull=False).first() or sample.first()
        # A Rebond-made tag when the demo seeded some, else a bench tag: the search runs on this database either way.
        tags = Device.objects.filter(workshop=self.workshop)
        labelled = tags.filter(asset_tag__regex=r"^[2-9A-Z]{6}$").first() or tags.first()
        cases = [
            ("stock: first page", stock),
            ("stock: next page", f"{stock}?apres={self.deep_cursor(49)}"),
            (f"stock: deep page (row {size // 2})", f"{stock}?apres={middle}"),
            ("stock: last page", f"{stock}?fin=1"),
            ("stock: state=received", f"{stock}?state=received"),
            ("stock: state=parts (rare)", f"{stock}?state=parts"),
            ("stock: type=monitor grade=A", f"{stock}?type=monitor&grade=A"),
            ("stock: age > 90 days", f"{stock}?age=90%2B"),
            ("stock: age < 7 days", f"{stock}?age=7"),
            ("stock: a lot", f"{stock}?lot={lot.pk}" if lot else stock),
            ("stock: search a tag", f"{stock}?q={labelled.asset_tag}"),
            ("stock: search a model word", f"{stock}?q=latitude"),
            ("device page (workshop)", reverse("inventory:device", args=[device.asset_tag])),
            ("dashboard (workshop)", reverse("inventory:dashboard")),
        ]
        self.say(f"in-process, PostgreSQL, {repeat} requests per page; {load()}")
        catalogue = reverse("claims:catalogue")
        cases = [(client, label, url) for label, url in cases] + [
            (anonymous, "catalogue (anonymous)", catalogue),
            (household, "catalogue (signed-in household)", catalogue),
            (household, "catalogue filtered (household)", f"{catalogue}?type=laptop&grade=A"),
            (anonymous, "catalogue device page", reverse("claims:device", args=[device.pk])),
            (anonymous, "catalogue API", "/api/v1/catalogue"),
        ]
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for who, label, url in cases:
                self.measure(who, url, repeat, label)
        self.device = device

    def bench_mode(self, count, batches=BENCH_BATCHES):
        """`batches` batches of `count` scans, each on devices still received: the first batch of the process
        also pays what is done once (imports, translations, the first compilations), the next ones are what a
        workshop scanning all day sees."""
        figures = []
        for _batch in range(batches):
            codes = list(
                Device.objects.filter(
                    workshop=self.workshop, state=DeviceState.RECEIVED, type=DeviceType.LAPTOP
                )
                .order_by("-pk")
                .values_list("asset_tag", flat=True)[:count]
            )
            begin = time.perf_counter()
            results = bench_apply(
                workshop=self.workshop, actor=self.actor, action=DeviceState.IN_REPAIR, codes=codes
            )
            figures.append(
                (time.perf_counter() - begin, len(codes), sum(1 for result in results if result.ok))
            )
        (first, scanned, ok), later = figures[0], sorted(elapsed for elapsed, _n, _ok in figures[1:])
        following = (
            f"; the next {len(later)}: {', '.join(f'{elapsed:.3f}' for elapsed in later)} s, median "
            f"{statistics.median(later):.3f} s ({statistics.median(later) / max(scanned, 1) * 1000:.2f} ms per scan)"
            if later
            else ""
        )
        self.say(
            f"bench mode: {scanned} scans « en réparation » in {first:.3f} s, first batch of the process "
            f"({ok} moved, {first / max(scanned, 1) * 1000:.2f} ms per scan){following}; {load()}"
        )

    # Under gunicorn ---------------------------------------------------------------------------------------

    def server(self, seconds):
        workshop_cookie = session_cookie(WORKSHOP_EMAIL)
        household_cookie = session_cookie(HOUSEHOLD_EMAIL)
        urls = [
            ("healthz", "/healthz", None),
            ("catalogue (anonymous)", reverse("claims:catalogue"), None),
            ("catalogue (household)", reverse("claims:catalogue"), household_cookie),
            ("catalogue API", "/api/v1/catalogue", None),
            ("stock list (workshop)", reverse("inventory:stock"), workshop_cookie),
            (
                "device page (workshop)",
                reverse("inventory:device", args=[self.device.asset_tag]),
                workshop_cookie,
            ),
        ]
        cache_url = os.environ.get("CACHE_URL", "")
        self.say(
            f"gunicorn, 2 sync workers, 127.0.0.1, cache {'Redis' if cache_url else 'per-process memory'}; "
            f"throughput with 8 clients over {seconds:.0f} s per page, in 4 windows alternating with /healthz; "
            f"ratio = page req/s ÷ /healthz req/s of those same windows; {load()}"
        )
        with Gunicorn() as gunicorn:
            for label, path, cookie in urls:
                if time.monotonic() > self.deadline:
                    self.say("  (time budget spent: the remaining pages are not measured)")
                    break
                figures = latency(gunicorn.url + path, 100, cookie=cookie)
                rate, base = paired_throughput(
                    gunicorn.url + path, gunicorn.url + "/healthz", seconds, cookie=cookie
                )
                self.say(
                    f"  {label:<24} p50 {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
                    f"{rate:7.1f} req/s  /healthz {base:7.1f} req/s  ratio {rate / base:4.2f}  "
                    f"errors {figures['errors']}/100; {load()}"
                )
