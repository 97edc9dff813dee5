"""Benchmark: manifest imports end to end (upload to done) on the current database, with peak memory.

The import runs in a child process, as a worker would, so that its peak memory (ru_maxrss) is measured
alone. Prints rows/s and peak MB for each size; deletes what it created.
"""

import csv
import io
import resource
import subprocess
import sys
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from donations import services
from donations.models import ImportJob, Lot
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User

HEADER = [
    "Type d'appareil",
    "Marque",
    "Modèle",
    "Numéro de série",
    "Numéro d'inventaire",
    "Année",
    "Processeur",
    "Mémoire",
    "Stockage",
    "État",
    "Quantité",
]


def manifest(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for i in range(rows):
        writer.writerow(
            [
                "Ordinateur portable",
                "Lenovo",
                "ThinkPad T480",
                f"BENCH{i:09d}",
                f"INV-{i:07d}",
                "2019",
                "Intel Core i5-8350U",
                "8 Go",
                "256 Go",
                "Rayures légères, écran intact",
                "1",
            ]
        )
    return buffer.getvalue().encode("cp1252")


class Command(BaseCommand):
    help = "Mesure l’import de manifestes de 10 000 et 100 000 lignes (lignes/s, mémoire maximale du worker)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
        parser.add_argument("--run-job", type=int, help=argparse_hidden())
        parser.add_argument("--keep", action="store_true", help="Garder les lots créés.")

    def handle(self, *args, rows, run_job, keep, **options):
        if run_job:
            started = time.perf_counter()
            job = services.run_import(run_job)
            elapsed = time.perf_counter() - started
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.stdout.write(f"{job.state} {elapsed:.3f} {peak_kb}")
            return
        user, donor = self._bench_donor()
        for count in rows:
            content = manifest(count)
            lot = Lot.objects.create(
                donor=donor,
                created_by=user,
                title=f"Banc d’essai {count} lignes",
                pickup_address="1 rue du Banc",
                pickup_postcode="93200",
                available_from="2026-12-01",
            )
            started = time.perf_counter()
            # Enqueue nothing: the child process below plays the worker (its start-up is not counted).
            with transaction.atomic():
                job = ImportJob(lot=lot, created_by=user, filename=f"bench-{count}.csv", size=len(content))
                job.file.save(
                    f"bench-{count}.csv", SimpleUploadedFile(f"bench-{count}.csv", content), save=False
                )
                job.save()
            upload_seconds = time.perf_counter() - started
            child = subprocess.run(
                [sys.executable, sys.argv[0], "bench_import", "--run-job", str(job.pk)],
                capture_output=True,
                text=True,
                check=True,
            )
            state, import_seconds, peak_kb = child.stdout.strip().splitlines()[-1].split()
            total = upload_seconds + float(import_seconds)
            items = lot.items.count()
            self.stdout.write(
                f"{count} lignes : {state}, {items} lignes écrites ; de l’envoi à « terminé » {total:.2f} s "
                f"soit {count / total:.0f} lignes/s (envoi {upload_seconds:.2f} s, import {float(import_seconds):.2f} s) ; "
                f"mémoire maximale du worker {int(peak_kb) / 1024:.0f} Mo ; fichier {len(content) / 1_048_576:.1f} Mo"
            )
            if not keep:
                job.file.delete(save=False)
                lot.delete()

    def _bench_donor(self):
        user, _ = User.objects.get_or_create(
            email="banc-essai@rebond.invalid", defaults={"first_name": "Banc"}
        )
        donor = Organisation.objects.filter(kind=OrganisationKind.DONOR, name="Banc d’essai import").first()
        if donor is None:
            donor = Organisation.objects.create(
                kind=OrganisationKind.DONOR,
                name="Banc d’essai import",
                siret="80000000000003",
                address="1 rue du Banc",
                postcode="93200",
                city="Saint-Denis",
                department="93",
                status=OrganisationStatus.APPROVED,
            )
        return user, donor


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
