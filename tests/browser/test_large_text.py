"""A household on a small phone (320 CSS px wide) with its text set to 200 % (Chrome's « Taille de la police »,
WCAG 1.4.4 and 1.4.10), and its referrer the same: every page they reach, and the claim and pay pages of a
reservation, fit the screen without scrolling sideways (a button half off-screen is a button that is not there).

The larger text is Chromium's default font size at 32 px instead of 16 (DevTools protocol, Page.setFontSizes),
which is what the browser's font-size setting changes: rem and em grow with it, px do not."""

import re

import pytest

from tests.browser.crawl import report, walk
from tests.browser.steps import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 320, "height": 640}


@pytest.fixture
def large_text_page(browser, live_server):
    from tests.browser.conftest import restore_page_tree

    restore_page_tree()
    context = browser.new_context(viewport=SMALL_PHONE, locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    yield page
    context.close()


def wider_than_screen(page) -> str:
    """'' when the page fits; else its width and the innermost elements that stick out of the screen."""
    return page.evaluate(
        """() => { const width = innerWidth; if (document.documentElement.scrollWidth <= width) return '';
        const out = Array.from(document.querySelectorAll('body *')).filter(e => {
            const r = e.getBoundingClientRect(); return r.width && r.right > width + 1; })
          .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 1));
        return document.documentElement.scrollWidth + ' px: ' + out.slice(0, 6).map(
          e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' « '
            + (e.innerText || '').trim().slice(0, 30) + ' »').join(', '); }"""
    )


def test_the_font_size_setting_is_in_force(large_text_page):
    large_text_page.set_content("<p>texte</p>")
    assert large_text_page.evaluate("getComputedStyle(document.body).fontSize") == "32px"


@pytest.mark.parametrize("role", ["anonymous", "household", "referrer", "workshop"])
def test_every_page_fits_a_small_phone_with_text_at_200_percent(large_text_page, live_server, role, demo):
    result = walk(large_text_page, live_server.url, role, axe=None, limit=80)
    assert len(result.visited) >= 15, report(result)
    too_wide = [problem for problem in result.problems if problem.kind == "too wide"]
    assert not too_wide, report(result)


def test_a_reservation_its_claim_and_pay_pages_fit_with_text_at_200_percent(large_text_page, demo):
    from inventory.models import Device

    priced = Device.objects.listed().filter(price_cents__gt=0, workshop__email="atelier@example.org")
    page = large_text_page
    sign_in(page, "beneficiaire@example.org")
    page.goto(f"/catalogue/{priced.order_by('pk').first().pk}/")
    assert wider_than_screen(page) == "", page.url
    page.get_by_role("button", name="Réserver cet appareil").click()
    page.wait_for_url(re.compile(r"/demandes/\d+/$"))
    assert wider_than_screen(page) == "", page.url
    page.get_by_role("link", name=re.compile("^Payer")).click()
    page.wait_for_url(re.compile(r"/demandes/\d+/payer/$"))
    assert wider_than_screen(page) == "", page.url
