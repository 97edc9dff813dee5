"""Page weight as a browser would load it: the HTML plus every stylesheet and script it references, gzipped,
and the number of requests. Budget (issue 7): at most 60 KB and 6 requests per page, photos excluded."""

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand
from django.test import Client

from cms.models import EligibilityPage
from inventory.models import Device

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6


def measured_pages(stdout=None) -> list[tuple[str, str]]:
    """The pages whose weight is budgeted: home, catalogue, a device and the eligibility page (as seeded)."""
    pages = [("home", "/"), ("catalogue", "/catalogue/")]
    device = Device.objects.listed().order_by("pk").first()
    if device is not None:
        pages.append(("device", f"/catalogue/{device.pk}/"))
    elif stdout is not None:
        stdout.write("device       no listed device: run seed_demo first")
    eligibility = EligibilityPage.objects.live().filter(locale__language_code="fr").first()
    if eligibility is not None:
        pages.append(("eligibility", eligibility.url))
    elif stdout is not None:
        stdout.write("eligibility  no published eligibility page: run seed_demo first")
    return pages


class AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles, self.scripts, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.styles.append(attrs.get("href"))
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "img" and attrs.get("src"):
            self.images.append((attrs["src"], attrs.get("loading") == "lazy"))


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


class Command(BaseCommand):
    help = "Print the gzip weight (HTML+CSS+JS) and request count of the home, catalogue, device and eligibility pages."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="localhost", help="Host header (must match a Wagtail site).")

    def asset(self, client, url: str) -> bytes:
        path = urlsplit(url).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path[len(settings.STATIC_URL) :])
            if found:
                with open(found, "rb") as handle:
                    return handle.read()
        response = client.get(path)
        return b"".join(response.streaming_content) if response.streaming else response.content

    def measure(self, client, label: str, path: str) -> bool:
        response = client.get(path)
        if response.status_code != 200:
            self.stdout.write(f"{label:<12} {path:<28} HTTP {response.status_code}: not measured")
            return False
        html = response.content
        parser = AssetParser()
        parser.feed(html.decode("utf-8", "replace"))
        weights = {"html": gzip_size(html), "css": 0, "js": 0}
        for url in parser.styles:
            weights["css"] += gzip_size(self.asset(client, url))
        for url in parser.scripts:
            weights["js"] += gzip_size(self.asset(client, url))
        eager_images = [src for src, lazy in parser.images if not lazy]
        requests = 1 + len(parser.styles) + len(parser.scripts) + len(eager_images)
        total = sum(weights.values())
        within = total <= BUDGET_BYTES and requests <= BUDGET_REQUESTS
        self.stdout.write(
            f"{label:<12} {path:<28} {total / 1024:6.1f} KB gzip "
            f"(html {weights['html'] / 1024:.1f}, css {weights['css'] / 1024:.1f}, js {weights['js'] / 1024:.1f}) "
            f"{requests} requests (+{len(parser.images) - len(eager_images)} lazy images) "
            f"{'OK' if within else 'OVER BUDGET'}"
        )
        return within

    def handle(self, *args, host: str, **options):
        client = Client(HTTP_HOST=host)
        self.stdout.write(f"budget: {BUDGET_BYTES // 1024} KB gzip (HTML+CSS+JS), {BUDGET_REQUESTS} requests")
        for label, path in measured_pages(self.stdout):
            self.measure(client, label, path)
