"""The workshop's screens and the catalogue at national scale (1,000,000 devices), in-process and under gunicorn.

Seeds the demo workshop with devices by COPY (PostgreSQL) until the database holds `--devices`, with a verified
erasure record for every data-bearing device that went online, then measures each page: p50/p95, SQL queries,
and, under gunicorn, requests per second beside /healthz measured on the same server in the same run. Bench
mode: 1,000 scans in one batch. Every loop is bounded in count and in time (`--budget` seconds for the measurements
after the seeding, at most 20 s per page); the machine's load is printed beside the figures. Nothing asserts on time.
"""

import os
import random
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from donations.models import Lot
from inventory import counts, demo
from inventory.enums import DATA_BEARING_TYPES, DeviceState, DeviceType
from inventory.filters import encode_stock_cursor
from inventory.models import Device
from inventory.services.bench import bench_apply
from reuse.accounts import demo as accounts_demo
from reuse.management.commands.bench import Gunicorn, latency, throughput

TAG_PREFIX = "M"  # 8 characters with 0 and 1: never a random Rebond tag (6 characters, no 0 or 1)
COLUMNS = (
    "workshop_id",
    "asset_tag",
    "type",
    "brand",
    "model",
    "serial",
    "state",
    "grade",
    "price_cents",
    "year",
    "cpu",
    "ram_gb",
    "storage_type",
    "storage_gb",
    "os",
    "keyboard_layout",
    "accessories",
    "repair_notes",
    "diagnostics",
    "media_count",
    "outcome_department",
    "recycle_channel",
    "recycle_reference",
    "received_at",
    "state_changed_at",
)
# State mix of a workshop that has run for a while: most devices are gone (handed over) or waiting.
DATA_STATES = [
    (DeviceState.RECEIVED, 30),
    (DeviceState.IN_REPAIR, 12),
    (DeviceState.READY, 8),
    (DeviceState.LISTED, 25),
    (DeviceState.RESERVED, 2),
    (DeviceState.HANDED_OVER, 20),
    (DeviceState.RECYCLED, 2),
    (DeviceState.PARTS, 1),
]
PLAIN_STATES = [(DeviceState.RECEIVED, 30), (DeviceState.LISTED, 40), (DeviceState.HANDED_OVER, 30)]


PAGE_SECONDS = 20


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f} ({os.cpu_count()} cores)"


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * fraction + 0.5) - 1))]


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
        self.deadline = started + budget
        accounts_demo.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
        self.workshop = demo.demo_workshop()
        self.actor = accounts_demo.demo_user("atelier@example.org")
        self.say(f"before seeding: {load()}")
        self.seed(devices)
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

    # Seeding ----------------------------------------------------------------------------------------------

    def seed(self, wanted: int):
        missing = wanted - Device.objects.count()
        if missing <= 0:
            self.say(f"seeding: nothing to add ({wanted} devices already there)")
            return
        begin = time.monotonic()
        start = Device.objects.filter(
            asset_tag__startswith=TAG_PREFIX, asset_tag__regex=r"^M[0-9]{7}$"
        ).count()
        rng = random.Random(16)
        now = timezone.now()
        data_types = [t for t in DeviceType.values if t in DATA_BEARING_TYPES]
        plain_types = [t for t in DeviceType.values if t not in DATA_BEARING_TYPES]
        data_states = [state for state, weight in DATA_STATES for _ in range(weight)]
        plain_states = [state for state, weight in PLAIN_STATES for _ in range(weight)]
        specs = {t: rows for t, rows in demo.MODELS.items()}

        def rows():
            for index in range(start, start + missing):
                data_bearing = index % 5 != 4  # four in five hold data
                kind = (
                    data_types[index % len(data_types)]
                    if data_bearing
                    else plain_types[index % len(plain_types)]
                )
                state = rng.choice(data_states if data_bearing else plain_states)
                brand, model, cpu, ram, storage, _screen, system = specs.get(
                    kind, [("Iiyama", "ProLite", "", None, None, None, "")]
                )[index % len(specs.get(kind, [1]))]
                graded = state != DeviceState.RECEIVED
                priced = state in (DeviceState.LISTED, DeviceState.RESERVED, DeviceState.HANDED_OVER)
                received = now - timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86_399))
                yield (
                    self.workshop.pk,
                    f"{TAG_PREFIX}{index:07d}",
                    kind,
                    brand,
                    model,
                    f"MS{index:07d}",
                    state,
                    rng.choice("ABC") if graded else "",
                    rng.choice([0, 2000, 4000, 6000]) if priced else None,
                    2017 + index % 6,
                    cpu or "",
                    ram,
                    "ssd" if storage else "",
                    storage,
                    system or "",
                    "azerty",
                    "",
                    "",
                    "",
                    1 if data_bearing else 0,
                    "93" if state == DeviceState.HANDED_OVER else "",
                    "Ecosystem" if state == DeviceState.RECYCLED else "",
                    f"BSD-{index}" if state == DeviceState.RECYCLED else "",
                    received,
                    received + timedelta(days=1),
                )

        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY inventory_device ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            copied = time.monotonic() - begin
            # A verified erasure of its one medium for every data-bearing device that went online.
            cursor.execute(
                """
                INSERT INTO inventory_erasurerecord (device_id, method, tool, tool_version, media_type, media_make,
                  media_model, media_serial, operator_id, performed_at, verified, passes, notes, created)
                SELECT id, 'purge', 'nwipe', '0.36', 'ssd', '', '', 'DISK-' || asset_tag, %s, received_at + interval
                  '12 hours', true, 1, '', now()
                FROM inventory_device
                WHERE asset_tag ~ '^M[0-9]{7}$' AND id NOT IN (SELECT device_id FROM inventory_erasurerecord)
                  AND media_count = 1 AND state IN ('ready', 'listed', 'reserved', 'handed_over')
                """,
                [self.actor.pk],
            )
            erasures = cursor.rowcount
        folded = counts.compact()
        with connection.cursor() as cursor:
            for table in ("inventory_device", "inventory_erasurerecord", "inventory_stockcount"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        self.say(
            f"seeding: {missing} devices by COPY in {copied:.1f} s, {erasures} erasure records, {folded} count "
            f"changes folded, VACUUM ANALYZE; {time.monotonic() - begin:.1f} s in all"
        )

    # In-process -------------------------------------------------------------------------------------------

    def measure(self, client, url, repeat, label, *, expect=200):
        client.get(url)  # warm-up: templates, process caches
        timings, queries = [], 0
        stop = min(self.deadline, time.monotonic() + PAGE_SECONDS)
        for _ in range(repeat):
            if timings and time.monotonic() > stop:
                break
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            if response.status_code != expect:
                raise CommandError(f"{label}: HTTP {response.status_code}")
            queries = max(queries, len(captured))
        self.say(
            f"  {label:<34} p50 {statistics.median(timings):7.1f} ms  p95 {percentile(timings, 0.95):7.1f} ms"
            f"  {queries:2d} queries  ({len(timings)} requests)"
        )
        return timings

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
        household.force_login(accounts_demo.demo_user("beneficiaire@example.org"))
        stock = reverse("inventory:stock")
        size = sum(n for _, n in counts.state_counts([self.workshop.pk]))
        middle = self.deep_cursor(size // 2)
        lot = Lot.objects.filter(workshop=self.workshop, devices__isnull=False).first()
        sample = Device.objects.filter(
            workshop=self.workshop, state=DeviceState.LISTED, type=DeviceType.LAPTOP
        )
        device = sample.filter(erasures__isnull=False).first() or sample.first()
        labelled = Device.objects.filter(workshop=self.workshop, asset_tag__regex=r"^[2-9A-Z]{6}$").first()
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
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for label, url in cases:
                self.measure(client, url, repeat, label)
            catalogue = reverse("claims:catalogue")
            self.measure(anonymous, catalogue, repeat, "catalogue (anonymous)")
            self.measure(household, catalogue, repeat, "catalogue (signed-in household)")
            self.measure(
                household, f"{catalogue}?type=laptop&grade=A", repeat, "catalogue filtered (household)"
            )
            self.measure(
                anonymous, reverse("claims:device", args=[device.pk]), repeat, "catalogue device page"
            )
            self.measure(anonymous, "/api/v1/catalogue", repeat, "catalogue API")
        self.device = device

    def bench_mode(self, count):
        codes = list(
            Device.objects.filter(workshop=self.workshop, state=DeviceState.RECEIVED, type=DeviceType.LAPTOP)
            .order_by("-pk")
            .values_list("asset_tag", flat=True)[:count]
        )
        begin = time.perf_counter()
        results = bench_apply(
            workshop=self.workshop, actor=self.actor, action=DeviceState.IN_REPAIR, codes=codes
        )
        elapsed = time.perf_counter() - begin
        ok = sum(1 for result in results if result.ok)
        self.say(
            f"bench mode: {len(codes)} scans « en réparation » in {elapsed:.3f} s ({ok} moved, "
            f"{elapsed / max(len(codes), 1) * 1000:.2f} ms per scan); {load()}"
        )

    # Under gunicorn ---------------------------------------------------------------------------------------

    def server(self, seconds):
        def session_cookie(email):
            store = SessionStore()
            user = accounts_demo.demo_user(email)
            store["_auth_user_id"] = str(user.pk)
            store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            store["_auth_user_hash"] = user.get_session_auth_hash()
            store.create()
            return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

        workshop_cookie = session_cookie("atelier@example.org")
        household_cookie = session_cookie("beneficiaire@example.org")
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
            f"throughput over {seconds:.0f} s with 8 clients; ratio = page req/s ÷ /healthz req/s; {load()}"
        )
        with Gunicorn() as gunicorn:
            base = None
            for label, path, cookie in urls:
                if time.monotonic() > self.deadline:
                    self.say("  (time budget spent: the remaining pages are not measured)")
                    break
                figures = latency(gunicorn.url + path, 100, cookie=cookie)
                rate = throughput(gunicorn.url + path, seconds, cookie=cookie)
                base = base or rate
                self.say(
                    f"  {label:<24} p50 {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
                    f"{rate:7.1f} req/s  ratio {rate / base:4.2f}  errors {figures['errors']}/100; {load()}"
                )
