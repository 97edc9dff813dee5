"""Benchmarks of the workshop side, measured in-process: stock list pages and bench-mode batches."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from inventory import demo
from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from inventory.services.bench import bench_apply
from inventory.services.devices import unused_asset_tags
from reuse.accounts import demo as accounts_demo
from reuse.bench import data as bench_data
from reuse.bench.timing import time_requests

BENCH_PREFIX = "BENCH-"


class Command(BaseCommand):
    help = "Mesure la liste du stock (50 000 appareils) et le mode établi (1 000 étiquettes)."

    def add_arguments(self, parser):
        parser.add_argument("--devices", type=int, default=50_000, help="Taille du stock de l’atelier.")
        parser.add_argument("--tags", type=int, default=1_000, help="Étiquettes traitées en un lot.")
        parser.add_argument("--repeat", type=int, default=15, help="Mesures par page.")
        parser.add_argument(
            "--force", action="store_true", help="Autoriser hors DEBUG (crée les comptes démo)."
        )

    def handle(self, *args, devices, tags, repeat, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "bench_inventory crée les comptes de démonstration : ajoutez --force hors DEBUG."
            )
        accounts_demo.seed(stdout=self.stdout)
        workshop = demo.demo_workshop()
        actor = accounts_demo.demo_user("atelier@example.org")
        missing = devices - Device.objects.filter(workshop=workshop).count()
        if missing > 0:
            started = time.perf_counter()
            bench_data.bulk_devices(workshop, actor, missing)
            self.stdout.write(f"{missing} appareils créés en {time.perf_counter() - started:.1f} s")
            if connection.vendor == "postgresql":
                # What autovacuum would do a minute later: statistics and the visibility map for index-only scans.
                # VACUUM cannot run inside a transaction (as under a test); ANALYZE alone can.
                statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                with connection.cursor() as cursor:
                    cursor.execute(f"{statement} inventory_device")
        total = Device.objects.filter(workshop=workshop).count()
        self.stdout.write(f"Base : {connection.vendor} ; stock de l’atelier : {total} appareils")
        self.bench_stock(actor, total, repeat)
        self.bench_mode(workshop, actor, tags)

    def bench_stock(self, actor, total, repeat):
        client = Client()
        client.force_login(actor)
        pages = max(total // 50, 1)
        cases = [
            ("page 1", {}),
            ("page 2", {"page": 2}),
            (f"page {pages // 2}", {"page": pages // 2}),
            (f"dernière page ({pages})", {"page": pages}),
            ("filtre état=reçu", {"state": DeviceState.RECEIVED}),
            ("filtre type+grade", {"type": DeviceType.MONITOR, "grade": "A"}),
            ("filtre ancienneté > 90 j", {"age": "90+"}),
        ]
        url = reverse("inventory:stock")
        self.stdout.write("Liste du stock (50 appareils par page) : médiane, requêtes SQL")
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for label, params in cases:
                timings = time_requests(client, url, repeat, params=params, label=label)
                self.stdout.write(
                    f"  {label:<28} médiane {timings.median:7.1f} ms   {timings.queries[-1]} requêtes"
                )

    def bench_mode(self, workshop, actor, count):
        batch = []
        tags = unused_asset_tags()
        for index in range(count):
            tag = next(tags)
            batch.append(
                Device(
                    workshop=workshop,
                    asset_tag=tag,
                    type=DeviceType.LAPTOP,
                    serial=f"{BENCH_PREFIX}{tag}-{index}",
                )
            )
        Device.objects.bulk_create(batch, batch_size=1000)
        codes = [device.asset_tag for device in batch]
        started = time.perf_counter()
        results = bench_apply(workshop=workshop, actor=actor, action=DeviceState.IN_REPAIR, codes=codes)
        elapsed = time.perf_counter() - started
        ok = sum(1 for result in results if result.ok)
        self.stdout.write(
            f"Mode établi : {len(codes)} étiquettes « en réparation » en {elapsed:.2f} s ({ok} réussies, "
            f"{elapsed / max(len(codes), 1) * 1000:.1f} ms par scan)"
        )
