"""Every form a page posts leaves the checks to the server (novalidate), as includes/post_form.html does: a box
left empty is then refused by Rebond's own summary, in the person's words, with the focus on it and links to
the fields (RGAA 11.10, 11.11), not by the browser's bubble, in the browser's language, that a screen reader
may not read and that vanishes when touched. The `required` attribute stays on the fields, for the screen
reader to say so."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORM = re.compile(r"<form\b[^>]*>", re.S)


def test_every_posted_form_in_the_templates_is_checked_by_the_server():
    browser_checked = [
        f"{path.relative_to(TEMPLATES)}: {tag[:80]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in FORM.findall(path.read_text(encoding="utf-8"))
        if re.search(r"method=[\"']?post", tag, re.I) and "novalidate" not in tag
    ]
    assert not browser_checked, "\n".join(browser_checked)
