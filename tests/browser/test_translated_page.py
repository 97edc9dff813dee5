"""A household whose phone's browser translates the page (Chrome's « Traduire cette page », Safari's « Traduire en
… »): the codes it must show or type (the handover code on its claim and on the sheet it prints, the sign-in code
its social worker prints) come out as they are, not turned into words of another language.

A browser's translator rewrites the text of every element whose translation mode is on, and leaves alone the
elements marked `translate="no"` and what they contain (WHATWG HTML, « The translate attribute »: « the element's
text is not to be translated »; Chrome's translator follows it, and its `notranslate` class, as Google documents
in « Google Translate: How to stop a page from being translated »). `TRANSLATE` below does what they do to a page:
every text node whose element's `translate` (the attribute's inherited mode, as the browser computes it) is on is
replaced, with the mark of a translation before it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reuse.claims.services import reservations
from tests.browser.steps import phone_page, sign_in
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory, UserFactory
from tests.factories.eligibility import accredited_referrer, eligible, household_opened_by
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)

TRANSLATE = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const element = node.parentElement;
    if (!node.nodeValue.trim() || !element || !element.translate || element.closest(".notranslate")) continue;
    const font = document.createElement("font");
    font.textContent = "(translated) " + node.nodeValue;
    node.replaceWith(font);
  }
}"""


def translated(page):
    page.evaluate(TRANSLATE)
    return page


def test_a_translated_page_shows_the_codes_as_they_are(page, browser, live_server, assert_accessible):
    ProgrammeFactory()
    device = DeviceFactory(listed=True, price_cents=4500, brand="Lenovo", model="ThinkPad T480")
    nadia = eligible(
        HouseholdProfileFactory(user=UserFactory(email="nadia.tr@example.test"), postcode="93200").user
    )
    claim = reservations.create_claim(actor=nadia, device_id=device.pk)
    claim = reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=nadia)
    code = claim.handover_code_display

    sign_in(page, nadia.email, PASSWORD)
    page.goto(reverse("claims:claim", args=[claim.pk]))
    translated(page)
    expect(page.locator("[data-handover-code]")).to_have_text(code)
    assert_accessible(page)
    page.goto(reverse("claims:claim_code", args=[claim.pk]))
    translated(page)
    expect(page.locator(".code-print")).to_have_text(code)
    assert_accessible(page)

    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)  # no email, no password: the sign-in code is its way in
    page = phone_page(browser, live_server.url)  # the social worker's own phone
    sign_in(page, referrer.email, PASSWORD)
    page.goto(reverse("eligibility:referrer_household", args=[household.pk]))
    page.get_by_role("button", name="Imprimer un code de connexion").click()
    sheet_code = page.locator("[data-sign-in-code]").inner_text()
    translated(page)
    expect(page.locator("[data-sign-in-code]")).to_have_text(sheet_code)
    assert_accessible(page)
    page.context.close()
