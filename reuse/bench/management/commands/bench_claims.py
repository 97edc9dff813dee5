"""Benchmark: catalogue filtered page and API (in-process median and p95, SQL queries per request) at 1k/10k/100k
listed devices, and 50 concurrent claimers on 5 devices. Writes throwaway rows tagged BENCH- (each listed device
erased and verified, as the product requires: reuse.bench.data) and removes them at the end.

Run it on PostgreSQL (DATABASE_URL) for meaningful figures: `manage.py bench_claims`.
"""

import threading
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import HouseholdProfile, Notification, User
from reuse.bench.data import bench_organisation, bench_user, delete_devices, listed_devices
from reuse.bench.timing import CATALOGUE_API_URL, CATALOGUE_PAGE_URL, time_requests
from reuse.claims import services
from reuse.claims.models import Claim, ClaimEvent
from reuse.eligibility.models import EligibilityDecision
from reuse.errors import DomainError
from reuse.programmes.models import Programme

TAG = "BENCH-"
CLAIMERS, RACED_DEVICES = 50, 5


class Command(BaseCommand):
    help = "Catalogue page and API latency at 1k/10k/100k listed devices and a 50-claimer race on 5 devices."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000,100000")
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, sizes, repeat, **options):
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", DEBUG=False):
            self._run(sizes, repeat)

    def _run(self, sizes, repeat):
        workshop = bench_organisation(kind=OrganisationKind.WORKSHOP, name=f"{TAG}atelier", rna="W000000000")
        operator = bench_user(f"{TAG.lower()}operateur@example.invalid")
        created = 0
        try:
            for size in [int(s) for s in sizes.split(",")]:
                listed_devices(workshop=workshop, operator=operator, prefix=TAG, start=created, stop=size)
                created = max(created, size)
                self._measure(repeat)
            self._race()
        finally:
            self._cleanup(workshop)

    def _measure(self, repeat):
        size = Device.objects.listed().count()  # the benchmark's rows and whatever the database already lists
        for label, url in [("page", CATALOGUE_PAGE_URL), ("API ", CATALOGUE_API_URL)]:
            timings = time_requests(Client(), url, repeat)
            self.stdout.write(
                f"catalogue {label} {size:>7} listed: median {timings.median:6.1f} ms (p95 {timings.p95:.1f} ms), "
                f"SQL queries per request {timings.query_counts}"
            )
        with CaptureQueriesContext(connection) as large:
            Client().get("/api/v1/catalogue?type=laptop&limit=100")
        self.stdout.write(f"  API with limit=100: {len(large.captured_queries)} SQL queries")

    def _households(self):
        """CLAIMERS households of Saint-Denis, each found eligible for one device by the same author."""
        programme = Programme.objects.create(
            name=f"{TAG}programme",
            departments=["93"],
            starts_on=timezone.localdate(),
            household_cap_devices=1,
        )
        author = bench_user(f"{TAG.lower()}author@example.invalid")
        households = []
        for i in range(CLAIMERS):
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
        return households

    def _race(self):
        households = self._households()
        devices = list(
            Device.objects.filter(asset_tag__startswith=TAG, state=DeviceState.LISTED, type="laptop")[
                :RACED_DEVICES
            ]
        )
        barrier = threading.Barrier(CLAIMERS)
        results = []
        lock = threading.Lock()

        def claim(index):
            try:
                barrier.wait()
                services.create_claim(actor=households[index], device_id=devices[index % RACED_DEVICES].pk)
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
        threads = [threading.Thread(target=claim, args=(i,)) for i in range(CLAIMERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        errors = [r for r in results if r.startswith("error")]
        reserved, unavailable = results.count("reserved"), results.count("unavailable")
        self.stdout.write(
            f"race {CLAIMERS} claimers on {RACED_DEVICES} devices: reservations {reserved}, "
            f"unavailable {unavailable}, errors {len(errors)}, other "
            f"{len(results) - reserved - unavailable - len(errors)}, time {elapsed * 1000:.0f} ms"
        )
        for error in errors[:3]:
            self.stdout.write(f"  {error}")

    def _cleanup(self, workshop):
        claims = Claim.objects.filter(device__asset_tag__startswith=TAG)
        with connection.cursor() as cursor:
            # Journals are append-only through the ORM; the benchmark's own rows are removed with raw SQL.
            cursor.execute(
                f"DELETE FROM {ClaimEvent._meta.db_table} WHERE claim_id IN "
                f"(SELECT id FROM {Claim._meta.db_table} WHERE device_id IN "
                f"(SELECT id FROM inventory_device WHERE asset_tag LIKE %s))",
                [f"{TAG}%"],
            )
        Notification.objects.filter(to_email__startswith=TAG.lower()).delete()
        claims.delete()
        EligibilityDecision.objects.filter(programme__name__startswith=TAG).delete()
        Programme.objects.filter(name__startswith=TAG).delete()
        delete_devices(TAG)
        User.objects.filter(email__startswith=TAG.lower()).delete()
        workshop.delete()
