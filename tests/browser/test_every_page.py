"""Every page a person can reach from the home page, for each role, on a 360 px phone: none wider than the
screen, none failing axe-core, none answering 4xx/5xx, no link to nowhere, always a way back to the role's home.

The walk itself lives in tests/browser/crawl.py (also runnable against a served demo)."""

import re

import pytest

from tests.browser.crawl import ROLES, report, walk
from tests.browser.steps import phone

pytestmark = pytest.mark.django_db(transaction=True)

# Pages each role must reach from its home (besides the minimum count): the walk checks them like every other.
MUST_REACH = {
    "household": [r"/connexion-et-prise-en-main/decisions/\d+/offres/$"],
    "referrer": [r"/connexion-et-prise-en-main/decisions/\d+/offres/$"],
    "workshop": [r"/connexion-et-prise-en-main/atelier/seances/$"],
}


def extra_pages(role) -> list[str]:
    """Pages of a role that no portal page links to (staff reach them from the admin), walked all the same.
    After-care, territories and small structures' pages (issue 19) are linked from the footer, the workshop's
    navigation, the referrer's and the household's pages, and walked with the rest."""
    from reuse.structures.models import ChequeBatch

    if role == "staff":
        return [f"/structures/carnets/{batch.pk}/" for batch in ChequeBatch.objects.all()[:1]]
    return []


@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_fits_a_phone_passes_axe_and_leads_somewhere(page, live_server, axe, role, demo):
    result = walk(page, live_server.url, role, axe, extra=extra_pages(role))
    assert len(result.visited) >= 15, report(result)
    assert not result.problems, report(result)
    for pattern in MUST_REACH.get(role, []):
        assert any(re.search(pattern, url) for url in result.visited), f"{role} never reached {pattern}"


def test_an_english_visitor_walks_the_same_pages_without_a_problem(browser, live_server, axe, demo):
    context = phone(browser, live_server.url, locale="en-GB")
    try:
        page = context.new_page()
        result = walk(page, live_server.url, "anonymous", axe)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert not result.problems, report(result)
    finally:
        context.close()
