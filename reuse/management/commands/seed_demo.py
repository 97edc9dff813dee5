from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from inventory.demo import demo_workshop
from reuse.accounts.demo import demo_user
from reuse.bench import data as bench_data


def demo_steps():
    """Every installed app may ship a `demo` module with `seed(stdout=, devices=)`, run in its ORDER, and list in
    LATER the (order, function) steps that need another app's demo first: (order, name, function), in order."""
    steps = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            module = import_module(f"{config.name}.demo")
            steps.append((getattr(module, "ORDER", 100), module.__name__, module.seed))
            steps += [
                (order, f"{module.__name__}.{step.__name__}", step)
                for order, step in getattr(module, "LATER", ())
            ]
    return sorted(steps, key=lambda step: step[0])


class Command(BaseCommand):
    help = "Create (or complete) the demo accounts and data. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--devices", type=int, default=0, help="Add N more realistic devices (benchmarks)."
        )
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, devices: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo crée des comptes au mot de passe connu : refusé quand DEBUG est désactivé "
                "(ajoutez --force pour un environnement de test)."
            )
        if devices < 0:
            raise CommandError("--devices doit être positif.")
        for _order, name, seed in demo_steps():
            self.stdout.write(name)
            seed(stdout=self.stdout, devices=devices)
        if devices:
            with transaction.atomic():
                added = bench_data.bulk_devices(demo_workshop(), demo_user("atelier@example.org"), devices)
            self.stdout.write(f"  {added} appareils ajoutés en masse")
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
