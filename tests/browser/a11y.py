"""axe-core in the browser, WCAG 2.1 A and AA rules, violations only.

axe-playwright-python sends the whole axe-core script (570 KB) with every check and brings back every rule's
passes and inapplicable nodes as well (about 100 KB of JSON a page), which the tests never read: on the 2-core CI
machine that was half the time of the every-page walk. Here the script is put in each page once (before its first
byte when `prepare` was called on the browser context) and only the violations come back; the rules run are the
same.
"""

from axe_playwright_python.sync_playwright import Axe as _Packaged

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
_RUN = "async (options) => (await axe.run(document, options)).violations"


class Axe:
    def __init__(self):
        self.script = _Packaged().axe_script

    def prepare(self, context) -> None:
        """Every document the context opens carries axe-core from its start (a walk checks each page it opens)."""
        context.add_init_script(script=self.script)

    def violations(self, page) -> list[dict]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.script)
        return page.evaluate(_RUN, _OPTIONS)


def describe(violations: list[dict]) -> str:
    """One line a rule broken, with the first three elements that break it."""
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in violations
    )
