"""Page weight as a browser would load it: the HTML plus every stylesheet, script and image it references,
compressed as production sends them (gzip, and brotli: WhiteNoise's .br files, `whitenoise[brotli]`), and the
number of requests. Budget (issue 7): at most 60 KB and 6 requests per page for HTML+CSS+JS; images are counted
beside it (sent as they are: JPEG, PNG and WebP are compressed already), lazy ones apart.

The five pages of a household's journey: home, catalogue, a device, the eligibility page and the sign-up form.
Measured two ways: in-process, reading the assets from the static finders (`bench_pages`), and by Chromium
against gunicorn with an empty cache (`bench`'s page weights)."""

import gzip
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import brotli
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from cms.models import EligibilityPage
from inventory.models import Device
from reuse.bench.browser import CHROMIUM, CHROMIUM_ARGS

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6


def measured_pages(stdout=None) -> list[tuple[str, str]]:
    """The pages whose weight is budgeted: home, catalogue, a device, the eligibility page (as seeded) and the
    household's sign-up form."""
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
    pages.append(("sign-up", reverse("eligibility:signup")))
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


def brotli_size(data: bytes) -> int:
    """What WhiteNoise's .br file of `data` weighs (it compresses at brotli's highest quality)."""
    return len(brotli.compress(data))


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
    """One line: the page's weight (HTML+CSS+JS gzip and brotli; eager images), its requests, and whether it keeps
    within the budget."""
    response = client.get(path)
    if response.status_code != 200:
        return f"{label:<12} {path:<28} HTTP {response.status_code}: not measured"
    html = response.content
    parser = AssetParser()
    parser.feed(html.decode("utf-8", "replace"))
    weights = {"html": gzip_size(html), "css": 0, "js": 0}
    texts = [html]
    for url in parser.styles:
        texts.append(asset(client, url))
        weights["css"] += gzip_size(texts[-1])
    for url in parser.scripts:
        texts.append(asset(client, url))
        weights["js"] += gzip_size(texts[-1])
    eager_images = [src for src, lazy in parser.images if not lazy]
    images = sum(len(asset(client, src)) for src in eager_images if not src.startswith("data:"))
    requests = 1 + len(parser.styles) + len(parser.scripts) + len(eager_images)
    total = sum(weights.values())
    brotli_total = sum(brotli_size(text) for text in texts)
    within = total <= BUDGET_BYTES and requests <= BUDGET_REQUESTS
    return (
        f"{label:<12} {path:<28} {total / 1024:6.1f} KB gzip, {brotli_total / 1024:5.1f} KB brotli "
        f"(html {weights['html'] / 1024:.1f}, css {weights['css'] / 1024:.1f}, js {weights['js'] / 1024:.1f}) "
        f"+ images {images / 1024:.1f} KB; {requests} requests (+{len(parser.images) - len(eager_images)} lazy "
        f"images) {'OK' if within else 'OVER BUDGET'}"
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
