"""Where the browser leaves a household on a phone after it acted, with the keyboard only: a filtered catalogue
opens at its list, and a refused reservation puts the refusal in view and in focus, instead of the top of a
page that looks unchanged."""

import re

import pytest

from tests.browser.steps import sign_in
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory, UserFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)

IN_VIEW = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight; }"""


def tab_until(page, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in page.evaluate("(document.activeElement.innerText || '').trim()"):
            return
    raise AssertionError(f"no « {text} » within {limit} Tabs on {page.url}")


def test_after_filtering_and_after_a_refusal_the_household_is_where_the_answer_is(page, assert_accessible):
    ProgrammeFactory()
    first, second = DeviceFactory.create_batch(2, listed=True, price_cents=0, brand="Lenovo", model="T480")
    nadia = eligible(
        HouseholdProfileFactory(user=UserFactory(email="nadia@example.test"), postcode="93200").user
    )
    sign_in(page, nadia.email, PASSWORD)

    page.goto("/catalogue/")
    tab_until(page, "Filtrer la liste")
    page.keyboard.press("Enter")
    page.get_by_label("Type d’appareil").focus()
    page.keyboard.press("ArrowDown")  # « Ordinateur portable »
    tab_until(page, "Afficher les appareils")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"type=laptop.*#appareils$"))
    page.keyboard.press("Tab")
    assert "Lenovo T480" in page.evaluate("document.activeElement.innerText")
    assert page.evaluate(IN_VIEW)

    page.goto(f"/catalogue/{first.pk}/")
    tab_until(page, "Réserver cet appareil")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-claim-status]")

    # The second laptop is over the programme's cap: the page says so where the form would be, and offers no
    # button its POST would refuse (tests/claims/test_offered_forms.py).
    page.goto(f"/catalogue/{second.pk}/")
    assert "Plafond atteint" in page.inner_text("main")
    assert page.get_by_role("button", name="Réserver cet appareil").count() == 0
    assert_accessible(page)
