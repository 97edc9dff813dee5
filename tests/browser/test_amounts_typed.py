"""A referrer on a phone types a family quotient the French way, with the keyboard, into the attestation form:
« 1 234 » is read as 1 234 €, and « 650,50 » is asked again in plain words. In a number box Chromium dropped the
comma and sent 65050, so the household was attested at 65 050 € and found ineligible, with nothing said.
The form-level rules (every amount field, every way of writing it) are in tests/test_amounts_as_typed.py."""

import re

import pytest

from reuse.eligibility.models import EligibilityDecision, Mandate
from tests.browser.steps import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _attest(page, household, typed: str) -> None:
    page.goto(f"/eligibilite/prescripteur/foyers/{household.pk}/attester/")
    page.get_by_label("Quotient familial sous le plafond du programme").check()
    page.get_by_label(re.compile("^Quotient familial \\(€\\)")).click()
    page.keyboard.type(typed)
    page.get_by_label("J’ai vu les justificatifs originaux de ces droits.").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Attester").click()


def test_a_family_quotient_typed_with_a_comma_or_a_space_is_read_as_written(page, assert_accessible, demo):
    mandate = Mandate.objects.filter(referrer__email="prescripteur@example.org").order_by("pk").first()
    household = mandate.household
    sign_in(page, "prescripteur@example.org")
    before = set(EligibilityDecision.objects.filter(beneficiary=household).values_list("pk", flat=True))

    _attest(page, household, "650,50")
    made = EligibilityDecision.objects.filter(beneficiary=household).exclude(pk__in=before)
    assert list(made.values_list("quotient_familial_eur", "status")) == []
    assert "sans centimes" in page.get_by_role("alert").inner_text()
    field = page.get_by_label(re.compile("^Quotient familial \\(€\\)"))
    assert field.input_value() == "650,50"
    assert field.get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    _attest(page, household, "1 234")
    new = EligibilityDecision.objects.filter(beneficiary=household).exclude(pk__in=before).get()
    assert new.quotient_familial_eur == 1234
