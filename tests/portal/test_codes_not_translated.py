"""Every code a page shows (an element of class `code`, or a `<code>`) is marked `translate="no"`, in every
template: a browser asked to translate the page (Chrome's « Traduire cette page ») would otherwise rewrite a
handover code, a sign-in code or a voucher code into words (WHATWG HTML, « The translate attribute »). The
browser journey tests/browser/test_translated_page.py shows it on the household's pages; this keeps the rule for
templates written later."""

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = ("templates", "reuse", "inventory", "donations", "cms")


class CodesLeftToTranslate(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        shows_a_code = tag == "code" or "code" in (attrs.get("class") or "").split()
        if shows_a_code and attrs.get("translate") != "no":
            self.found.append(f"<{tag} {attrs}> line {self.getpos()[0]}")


def templates():
    for folder in TEMPLATE_DIRS:
        for path in (ROOT / folder).rglob("*.html"):
            if "static" not in path.parts:
                yield path


def test_every_code_shown_is_left_untranslated():
    left = {}
    for path in templates():
        parser = CodesLeftToTranslate()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.found:
            left[str(path.relative_to(ROOT))] = parser.found
    assert not left, left
