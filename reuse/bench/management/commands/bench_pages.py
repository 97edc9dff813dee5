"""Page weight in-process: the compressed weight (HTML+CSS+JS, gzip and brotli), images and requests of the five
pages of a household's journey (reuse.bench.weights)."""

from django.core.management.base import BaseCommand
from django.test import Client

from reuse.bench.weights import BUDGET_BYTES, BUDGET_REQUESTS, measured_pages, page_weight


class Command(BaseCommand):
    help = (
        "Print the compressed weight (HTML+CSS+JS, gzip and brotli), images and request count of the home, "
        "catalogue, device, eligibility and sign-up pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="localhost", help="Host header (must match a Wagtail site).")

    def handle(self, *args, host: str, **options):
        client = Client(HTTP_HOST=host)
        self.stdout.write(f"budget: {BUDGET_BYTES // 1024} KB gzip (HTML+CSS+JS), {BUDGET_REQUESTS} requests")
        for label, path in measured_pages(self.stdout):
            self.stdout.write(page_weight(client, label, path))
