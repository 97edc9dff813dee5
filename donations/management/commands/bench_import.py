"""Benchmark: manifest imports end to end (upload to done) on the current database, with peak memory.

Two kinds of file: the manifest's own French template, and a GLPI computers export as GLPI writes it (";",
UTF-8 with BOM, every value quoted, 15 columns of which 4 are ignored, chassis types to normalise, some rows
without a type to infer from the model, memory and disk in Mio, dates as dd-mm-yyyy). The import runs in a
child process, as a worker would, so that its peak memory (ru_maxrss) is measured alone. Prints rows/s and
peak MB for each size; deletes what it created.
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


GLPI_HEADER = [
    "Nom",
    "Entité",
    "Statut",
    "Fabricant",
    "Numéro de série",
    "Type",
    "Modèle",
    "Système d'exploitation - Nom",
    "Lieu",
    "Dernière modification",
    "Composants - Processeur",
    "Mémoire (Mio)",
    "Composants - Disque dur - Capacité (Mio)",
    "Numéro d'inventaire",
    "Informations financières et administratives - Date d'achat",
]
GLPI_MODELS = [
    ("Dell Inc.", "Notebook", "Latitude 5490"),
    ("LENOVO", "Laptop", "ThinkPad T480"),
    ("HP", "Mini Tower", "HP ProDesk 400 G6 MT"),
    ("Dell Inc.", "Desktop", "OptiPlex 7060"),
    ("HP", "All in One", "HP ProOne 440 G6"),
    ("LENOVO", "", "ThinkPad L14 Gen 1"),
]


def glpi_export(rows: int) -> bytes:
    """A GLPI computers list exported to CSV (French interface), `rows` computers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(GLPI_HEADER)
    for i in range(rows):
        make, kind, model = GLPI_MODELS[i % len(GLPI_MODELS)]
        writer.writerow(
            [
                f"PC-{i:06d}",
                "Entité racine > Siège",
                "Au rebut",
                make,
                f"GLPI{i:08d}",
                kind,
                model,
                "Microsoft Windows 10 Professionnel",
                "Siège > 2e étage",
                "2026-03-12 09:14",
                "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz",
                "8192",
                "244198",
                f"INV-{i:07d}",
                f"{1 + i % 28:02d}-{1 + i % 12:02d}-{2017 + i % 5}",
            ]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


class Command(BaseCommand):
    help = (
        "Mesure l’import de manifestes de 10 000 et 100 000 lignes, et d’un export GLPI de 10 000 ordinateurs "
        "(lignes/s, mémoire maximale du worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
        parser.add_argument("--glpi-rows", type=int, nargs="*", default=[10_000])
        parser.add_argument("--run-job", type=int, help=argparse_hidden())
        parser.add_argument("--keep", action="store_true", help="Garder les lots créés.")

    def handle(self, *args, rows, glpi_rows, run_job, keep, **options):
        if run_job:
            started = time.perf_counter()
            job = services.run_import(run_job)
            elapsed = time.perf_counter() - started
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.stdout.write(f"{job.state} {elapsed:.3f} {peak_kb}")
            return
        user, donor = self._bench_donor()
        runs = [("manifeste", count, manifest) for count in rows] + [
            ("export GLPI", count, glpi_export) for count in glpi_rows
        ]
        for kind, count, build in runs:
            content = build(count)
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
                f"{kind}, {count} lignes : {state}, {items} lignes écrites ; de l’envoi à « terminé » {total:.2f} s "
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
                siret="80000000200009",
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
