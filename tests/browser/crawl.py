"""Walk every page a person can reach from the home page, as that person, and list what would stop them.

Used by tests/browser/test_every_page.py; also runnable against a served demo:
`python -m tests.browser.crawl http://127.0.0.1:8000 household` prints the problems found.
"""

import re
import sys
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlparse

from playwright.sync_api import Error as PlaywrightError

VIEWPORT = {"width": 360, "height": 780}
DEMO_PASSWORD = "demo-pass-2026"

# Who signs in with which demo account, and the page that person calls home once signed in.
ROLES = {
    "anonymous": (None, "/"),
    "household": ("beneficiaire@example.org", "/eligibilite/"),
    "donor": ("donateur@example.org", "/dons/"),
    "workshop": ("atelier@example.org", "/atelier/"),
    "referrer": ("prescripteur@example.org", "/eligibilite/prescripteur/"),
    "association": ("association@example.org", "/demandes/association/"),
    "structure": ("structure@example.org", "/demandes/association/"),
    "staff": ("hub@example.org", "/admin/"),
}
# A signed-in page must lead back to the role's home, directly or through "Mon espace" (which redirects there).
SPACE = "/compte/espace/"

# Downloads are checked for a status but not opened as pages; the admin, the API and the language switch are
# not pages of the portal a visitor walks through (staff's admin has its own tests).
DOWNLOAD = re.compile(r"\.(pdf|csv|xlsx|json|png|jpe?g|webp|svg|xml|txt)$")
NOT_WALKED = ("/admin/", "/api/", "/i18n/", "/documents/", "/media/", "/static/")
# Pages that differ only by an id are the same page: a few of each are enough.
SAME_PAGE_LIMIT = 2


@dataclass
class Problem:
    url: str
    kind: str
    detail: str

    def __str__(self):
        return f"{self.kind}: {self.url} — {self.detail}"


@dataclass
class Walk:
    role: str
    visited: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def add(self, url, kind, detail):
        self.problems.append(Problem(url, kind, detail))


def shape(url: str) -> str:
    """/dons/lots/12/impact/?x=1 → /dons/lots/N/impact/ : pages that differ only by an id or a query."""
    path = urlparse(url).path
    return re.sub(r"/(\d+|[A-Z0-9-]{4,})(?=/|$)", "/N", path)


def sign_in(page, email):
    page.goto("/compte/connexion/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => ({
    href: a.getAttribute('href'), resolved: a.href, text: a.textContent.trim().slice(0, 60),
    download: a.hasAttribute('download')}))"""
IDS_JS = (
    "() => Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.getAttribute('name'))"
)


def walk(page, base_url, role, axe, limit=250, extra=(), checks=()):
    """Breadth-first walk from the home page (and the `extra` paths no portal page links to, such as a printable
    batch staff reach from the admin); returns the pages seen and every problem found.

    `checks` are called with (page, url, result) on each page checked (tests/browser/beyond_axe.py).

    Every link's target answers once: a page the walk opens answers through its visit, any other target (a
    download, the API, a page of a shape already walked twice) through one request."""
    email, home = ROLES[role]
    result = Walk(role)
    if axe is not None:
        axe.prepare(page.context)
    if email:
        sign_in(page, email)
    origin = urlparse(base_url).netloc
    queue = deque([urljoin(base_url, "/"), *(urljoin(base_url, path) for path in extra)])
    queued, shapes, statuses = set(queue), {}, {}
    checked = set()  # pages checked, by the address they ended on
    links_to = defaultdict(list)  # target → (page, link text, href) of every link that points to it
    while queue and len(result.visited) < limit:
        url = queue.popleft()
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            # A file served as an attachment from an address that does not look like one: asked for its status.
            statuses[url] = _status(page, url)
            continue
        status = statuses[url] = response.status if response else 0
        result.visited.append(url)
        if status >= 400:
            result.add(url, "status", str(status))
            continue
        final = page.url
        if urlparse(final).netloc != origin or urlparse(final).path.startswith("/admin/"):
            continue  # staff's "Mon espace" is the Wagtail admin
        if final in checked:
            continue  # a redirect ("Mon espace", a space's home) to a page this walk has checked already
        checked.add(final)
        _check_page(page, final, role, home, axe, result)
        for check in checks:
            check(page, final, result)
        links = page.evaluate(LINKS_JS)
        ids = set(page.evaluate(IDS_JS))
        for link in links:
            href, resolved = link["href"].strip(), link["resolved"]
            if href in ("", "#") or href.startswith("javascript:"):
                result.add(final, "dead link", f"{link['text']!r} → {href!r}")
                continue
            if href.startswith("#"):
                if href[1:] not in ids:
                    result.add(final, "dead link", f"{link['text']!r} → {href} (no such anchor)")
                continue
            parsed = urlparse(resolved)
            if parsed.scheme not in ("http", "https") or parsed.netloc != origin:
                continue
            target = urldefrag(resolved)[0]
            links_to[target].append((final, link["text"], href))
            download = link["download"] or DOWNLOAD.search(parsed.path)
            if parsed.path.startswith(NOT_WALKED) or download or target in queued:
                continue
            key = shape(target)
            if shapes.get(key, 0) < SAME_PAGE_LIMIT:
                shapes[key] = shapes.get(key, 0) + 1
                queue.append(target)
                queued.add(target)
    for target, sources in links_to.items():
        if target not in statuses:  # not walked (or not reached within the limit): asked once
            statuses[target] = _status(page, target)
        if statuses[target] >= 400:
            for source, text, href in sources:
                result.add(source, "dead link", f"{text!r} → {href} ({statuses[target]})")
    return result


def _status(page, url):
    response = page.request.get(url, max_redirects=5, fail_on_status_code=False)
    return response.status


def _check_page(page, url, role, home, axe, result):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.evaluate("() => window.innerWidth")
    if width > viewport:
        culprits = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
                .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
        result.add(url, "too wide", f"{width} px > {viewport} px ({', '.join(culprits)})")
    hrefs = {urlparse(h).path for h in page.evaluate("() => Array.from(document.links).map(a => a.href)")}
    way_back = {"/"} if role == "anonymous" else {home, SPACE}
    if not way_back & hrefs:
        result.add(url, "no way back", f"no link to {' or '.join(sorted(way_back))}")
    if axe is not None:
        for violation in axe.violations(page):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            result.add(url, "axe", f"{violation['id']} ({violation['impact']}): {'; '.join(targets)}")


def report(result) -> str:
    return f"{result.role}: {len(result.problems)} problem(s) on {len(result.visited)} pages\n" + "\n".join(
        str(problem) for problem in result.problems
    )


def main(base_url, roles):
    from playwright.sync_api import sync_playwright

    from reuse.bench.browser import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.a11y import Axe

    axe = Axe()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for role in roles:
            context = browser.new_context(viewport=VIEWPORT, locale="fr-FR", base_url=base_url)
            page = context.new_page()
            result = walk(page, base_url, role, axe)
            print(report(result))
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or list(ROLES))
