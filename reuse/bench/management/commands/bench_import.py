"""Benchmark: manifest imports end to end (upload to done) on the current database, with peak memory.

Two kinds of file (reuse.bench.files): the manifest's own French template, and a GLPI computers export as GLPI
writes it. The import runs in a child process, as a worker would, so that its peak memory (ru_maxrss) is
measured alone. Prints rows/s and peak MB for each size; deletes what it created.
"""

import argparse
import resource
import subprocess
import sys
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from donations import services
from donations.models import ImportJob, Lot
from reuse.accounts.enums import OrganisationKind
from reuse.bench.data import BENCH_PLACE, bench_organisation, bench_user
from reuse.bench.files import glpi_export, manifest


class Command(BaseCommand):
    help = (
        "Mesure l’import de manifestes de 10 000 et 100 000 lignes, et d’un export GLPI de 10 000 ordinateurs "
        "(lignes/s, mémoire maximale du worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
        parser.add_argument("--glpi-rows", type=int, nargs="*", default=[10_000])
        parser.add_argument("--run-job", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--keep", action="store_true", help="Garder les lots créés.")

    def handle(self, *args, rows, glpi_rows, run_job, keep, **options):
        if run_job:
            self.run_job(run_job)
            return
        user = bench_user("banc-essai@rebond.invalid", first_name="Banc")
        donor = bench_organisation(
            kind=OrganisationKind.DONOR, name="Banc d’essai import", siret="80000000200009"
        )
        runs = [("manifeste", count, manifest) for count in rows]
        runs += [("export GLPI", count, glpi_export) for count in glpi_rows]
        for kind, count, build in runs:
            content = build(count)
            lot = Lot.objects.create(
                donor=donor,
                created_by=user,
                title=f"Banc d’essai {count} lignes",
                pickup_address=BENCH_PLACE["address"],
                pickup_postcode=BENCH_PLACE["postcode"],
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
                f"{kind}, {count} lignes : {state}, {items} lignes écrites ; de l’envoi à « terminé » {total:.2f} s "
                f"soit {count / total:.0f} lignes/s (envoi {upload_seconds:.2f} s, import {float(import_seconds):.2f} s) ; "
                f"mémoire maximale du worker {int(peak_kb) / 1024:.0f} Mo ; fichier {len(content) / 1_048_576:.1f} Mo"
            )
            if not keep:
                job.file.delete(save=False)
                lot.delete()

    def run_job(self, job_id: int):
        """The worker's side, in the child process: the import alone, its time and peak memory on one line."""
        started = time.perf_counter()
        job = services.run_import(job_id)
        elapsed = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(f"{job.state} {elapsed:.3f} {peak_kb}")
