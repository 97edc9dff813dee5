"""Every page each role reaches from the home page (the demo's links, walked by tests/browser/crawl.py), as
people axe-core does not stand in for meet it: a small screen (320 CSS px, which is also 1280 px at 400 % zoom,
WCAG 1.4.10), Windows high contrast (forced colours), reduced motion, the text-spacing bookmarklet (1.4.12),
the keyboard only (2.4.3, 2.4.7), a screen reader's titles, live regions and refused forms (2.4.2, 4.1.3,
RGAA 11.10/11.11). The checks themselves are in tests/browser/beyond_axe.py, and each one is shown to catch its
problem on a planted page in tests/browser/test_beyond_axe_checks.py."""

import pytest

from tests.browser import beyond_axe
from tests.browser.crawl import report, walk

pytestmark = pytest.mark.django_db(transaction=True)

# 1280 px at 400 % is 320 CSS px: the same layout, four device pixels to each.
ZOOMED = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 4}
ROLES = ["anonymous", "household", "referrer", "association", "donor", "workshop", "structure"]


@pytest.fixture
def zoomed_page(browser, live_server):
    from tests.browser.conftest import restore_page_tree

    restore_page_tree()
    context = browser.new_context(
        **ZOOMED,
        locale="fr-FR",
        base_url=live_server.url,
        forced_colors="active",
        reduced_motion="reduce",
        bypass_csp=True,  # the text-spacing bookmarklet's style is inline, as a person's bookmarklet puts it
    )
    beyond_axe.prepare(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_holds_for_low_vision_keyboard_and_screen_reader(
    zoomed_page, live_server, role, demo
):
    result = walk(zoomed_page, live_server.url, role, axe=None, limit=120, checks=[beyond_axe.Checks()])
    assert len(result.visited) >= 10, report(result)
    assert not result.problems, report(result)
