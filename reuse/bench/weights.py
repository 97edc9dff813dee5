"""Page weight as a browser would load it: the HTML plus every stylesheet and script it references, gzipped,
and the number of requests. Budget (issue 7): at most 60 KB and 6 requests per page, photos excluded.

Measured two ways: in-process, reading the assets from the static finders (`bench_pages`), and by Chromium
against gunicorn with an empty cache (`bench`'s page weights)."""

import gzip
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from cms.models import EligibilityPage
from inventory.models import Device
from reuse.bench.browser import CHROMIUM, CHROMIUM_ARGS

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


def asset(client, url: str) -> bytes:
    """A stylesheet or script the page references: from the static finders, else through the client."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL) :])
        if found:
            with open(found, "rb") as handle:
                return handle.read()
    response = client.get(path)
    return b"".join(response.streaming_content) if response.streaming else response.content


def page_weight(client, label: str, path: str) -> str:
    """One line: the page's gzip weight (HTML+CSS+JS) and requests, and whether it keeps within the budget."""
    response = client.get(path)
    if response.status_code != 200:
        return f"{label:<12} {path:<28} HTTP {response.status_code}: not measured"
    html = response.content
    parser = AssetParser()
    parser.feed(html.decode("utf-8", "replace"))
    weights = {"html": gzip_size(html), "css": 0, "js": 0}
    for url in parser.styles:
        weights["css"] += gzip_size(asset(client, url))
    for url in parser.scripts:
        weights["js"] += gzip_size(asset(client, url))
    eager_images = [src for src, lazy in parser.images if not lazy]
    requests = 1 + len(parser.styles) + len(parser.scripts) + len(eager_images)
    total = sum(weights.values())
    within = total <= BUDGET_BYTES and requests <= BUDGET_REQUESTS
    return (
        f"{label:<12} {path:<28} {total / 1024:6.1f} KB gzip "
        f"(html {weights['html'] / 1024:.1f}, css {weights['css'] / 1024:.1f}, js {weights['js'] / 1024:.1f}) "
        f"{requests} requests (+{len(parser.images) - len(eager_images)} lazy images) "
        f"{'OK' if within else 'OVER BUDGET'}"
    )


TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def browser_weights(base_url: str) -> list[str]:
    """Each budgeted page loaded by Chromium at phone size with an empty cache: every request it made, the bytes
    received, and those bytes gzipped where a reverse proxy would compress them (text), as a slow phone gets them."""
    if not Path(CHROMIUM).exists():
        return [f"browser page weights: not measured ({CHROMIUM} not found; apt-get install chromium)"]
    from playwright.sync_api import sync_playwright

    lines = ["browser page weights (Chromium, 360 px, empty cache; text gzipped as a proxy would send it)"]
    pages = measured_pages()  # before Playwright's event loop starts: the ORM refuses async contexts
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for label, path in pages:
                context = browser.new_context(viewport={"width": 360, "height": 780}, locale="fr-FR")
                page = context.new_page()
                responses = []
                page.on("response", lambda response, seen=responses: seen.append(response))
                start = time.perf_counter()
                page.goto(base_url + path, wait_until="load")
                load_ms = (time.perf_counter() - start) * 1000
                raw = sent = failed = 0
                for response in responses:
                    if response.status >= 400:
                        failed += 1
                    body = response.body() if 200 <= response.status < 300 else b""
                    raw += len(body)
                    kind = response.headers.get("content-type", "")
                    sent += gzip_size(body) if body and kind.startswith(TEXT_TYPES) else len(body)
                lines.append(
                    f"  {label:<12} {path:<28} {len(responses)} requests ({failed} failed)  "
                    f"{sent / 1024:5.1f} KB gzip  ({raw / 1024:5.1f} KB uncompressed)  load {load_ms:5.0f} ms"
                )
                context.close()
        finally:
            browser.close()
    return lines
