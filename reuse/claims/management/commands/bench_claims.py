"""Benchmark: catalogue filtered page and API (in-process median and p95, SQL queries per request) at 1k/10k/100k
listed devices, and
50 concurrent claimers on 5 devices. Writes throwaway rows tagged BENCH- and removes them at the end.

Run it on PostgreSQL (DATABASE_URL) for meaningful figures: `manage.py bench_claims`.
"""

import statistics
import threading
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, connections, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent
from reuse.accounts.models import HouseholdProfile, Organisation, User
from reuse.claims.models import Claim, ClaimEvent
from reuse.claims.services import reservations as services
from reuse.eligibility.models import EligibilityDecision
from reuse.errors import DomainError
from reuse.programmes.models import Programme

TAG = "BENCH-"
# The same filtered catalogue as a page and through the API; `make bench` requests them through gunicorn too.
CATALOGUE_PAGE_URL = "/catalogue/?type=laptop&max_price=80&min_ram_gb=8&grade=B"
CATALOGUE_API_URL = "/api/v1/catalogue?type=laptop&max_price_cents=8000&grade=B&limit=20"


class Command(BaseCommand):
    help = "Catalogue page and API latency at 1k/10k/100k listed devices and a 50-claimer race on 5 devices."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000,100000")
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, sizes, repeat, **options):
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", DEBUG=False):
            self._run(sizes, repeat)

    def _run(self, sizes, repeat):
        self.workshop = self._workshop()
        created = 0
        try:
            for size in [int(s) for s in sizes.split(",")]:
                created = self._grow(created, size)
                self._measure(size, repeat)
            self._race()
        finally:
            self._cleanup()

    def _workshop(self):
        return Organisation.objects.get_or_create(
            name=f"{TAG}atelier",
            kind="workshop",
            defaults=dict(
                siret="",
                rna="W000000000",
                address="1 rue du Banc",
                postcode="93200",
                city="Saint-Denis",
                department="93",
                status="approved",
            ),
        )[0]

    def _grow(self, have, want):
        types = ["laptop", "laptop", "desktop", "tablet", "smartphone"]
        batch = []
        for i in range(have, want):
            batch.append(
                Device(
                    workshop=self.workshop,
                    asset_tag=f"{TAG}{i:08d}",
                    type=types[i % 5],
                    brand="Dell",
                    model=f"Latitude {5000 + i % 900}",
                    state=DeviceState.LISTED,
                    grade="ABC"[i % 3],
                    price_cents=(i % 12) * 1000,
                    ram_gb=(4, 8, 16)[i % 3],
                    storage_gb=256,
                    # Benchmark rows hold no storage medium, so the erasure rule (which now also guards
                    # reservations) has nothing to ask of them; bench devices with erasure records are issue 15's.
                    media_count=0,
                    os="Linux Mint",
                    keyboard_layout="azerty",
                )
            )
            if len(batch) == 5000:
                Device.objects.bulk_create(batch)
                batch = []
        Device.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE inventory_device")
        return want

    @staticmethod
    def _time(url, repeat):
        """Median and p95 (ms) of `repeat` in-process GETs after a warm-up, and the SQL queries each one made."""
        client = Client()
        client.get(url)  # warm up
        timings, queries = [], set()
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.add(len(captured.captured_queries))
        timings.sort()
        return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], sorted(queries)

    def _measure(self, size, repeat):
        size = Device.objects.listed().count()  # the benchmark's rows and whatever the database already lists
        for label, url in [
            ("page", CATALOGUE_PAGE_URL),
            ("API ", CATALOGUE_API_URL),
        ]:
            median, p95, queries = self._time(url, repeat)
            self.stdout.write(
                f"catalogue {label} {size:>7} listed: median {median:6.1f} ms (p95 {p95:.1f} ms), "
                f"SQL queries per request {queries}"
            )
        api = Client()
        with CaptureQueriesContext(connection) as large:
            api.get("/api/v1/catalogue?type=laptop&limit=100")
        self.stdout.write(f"  API with limit=100: {len(large.captured_queries)} SQL queries")

    def _race(self):
        programme = Programme.objects.create(
            name=f"{TAG}programme",
            departments=["93"],
            starts_on=timezone.localdate(),
            household_cap_devices=1,
        )
        author = User.objects.create_user(email=f"{TAG.lower()}author@example.invalid")
        households = []
        for i in range(50):
            user = User.objects.create_user(email=f"{TAG.lower()}{i}@example.invalid")
            HouseholdProfile.objects.create(user=user, postcode="93200")
            EligibilityDecision.objects.create(
                beneficiary=user,
                programme=programme,
                status="eligible",
                evidence="declaration",
                author=author,
                expires_at=timezone.now() + timedelta(days=30),
            )
            households.append(user)
        devices = list(
            Device.objects.filter(asset_tag__startswith=TAG, state=DeviceState.LISTED, type="laptop")[:5]
        )
        barrier = threading.Barrier(50)
        results = []
        lock = threading.Lock()

        def claim(index):
            try:
                barrier.wait()
                services.create_claim(actor=households[index], device_id=devices[index % 5].pk)
                outcome = "reserved"
            except DomainError as exc:
                outcome = exc.code
            except Exception as exc:  # noqa: BLE001 - counted as a server error
                outcome = f"error {exc!r}"
            finally:
                connections.close_all()
            with lock:
                results.append(outcome)

        start = time.perf_counter()
        threads = [threading.Thread(target=claim, args=(i,)) for i in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        errors = [r for r in results if r.startswith("error")]
        self.stdout.write(
            f"race 50 claimers on 5 devices: reservations {results.count('reserved')}, "
            f"unavailable {results.count('unavailable')}, errors {len(errors)}, other "
            f"{len(results) - results.count('reserved') - results.count('unavailable') - len(errors)}, "
            f"time {elapsed * 1000:.0f} ms"
        )
        for error in errors[:3]:
            self.stdout.write(f"  {error}")

    def _cleanup(self):
        claims = Claim.objects.filter(device__asset_tag__startswith=TAG)
        with connection.cursor() as cursor:
            # Journals are append-only through the ORM; the benchmark's own rows are removed with raw SQL.
            cursor.execute(
                f"DELETE FROM {ClaimEvent._meta.db_table} WHERE claim_id IN "
                f"(SELECT id FROM {Claim._meta.db_table} WHERE device_id IN "
                f"(SELECT id FROM inventory_device WHERE asset_tag LIKE %s))",
                [f"{TAG}%"],
            )
            cursor.execute(
                f"DELETE FROM {DeviceEvent._meta.db_table} WHERE device_id IN "
                f"(SELECT id FROM inventory_device WHERE asset_tag LIKE %s)",
                [f"{TAG}%"],
            )
        from reuse.accounts.models import Notification

        Notification.objects.filter(to_email__startswith=TAG.lower()).delete()
        claims.delete()
        EligibilityDecision.objects.filter(programme__name__startswith=TAG).delete()
        Programme.objects.filter(name__startswith=TAG).delete()
        Device.objects.filter(asset_tag__startswith=TAG).delete()
        User.objects.filter(email__startswith=TAG.lower()).delete()
        self.workshop.delete()
