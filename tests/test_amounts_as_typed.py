"""Amounts that a household or its referrer types on a phone, written the French way: « 1 234 », « 650 € »,
« 12,50 ». A number input (<input type="number">) is the wrong box for them: Chromium drops the comma of
« 650,50 » and sends 65050 (seen in tests/browser/test_amounts_typed.py), and a phone's number keypad may
have no comma at all. Each such field is a text box with a number keypad (inputmode, as GOV.UK's design
system advises for numbers: https://design-system.service.gov.uk/components/text-input/#numbers), read by the
one parser of French amounts (reuse.money)."""

import ast
import re
from pathlib import Path

import pytest

from donations.forms import ItemForm
from inventory.forms import PriceForm
from reuse.claims.forms import HandoverConfirmForm, WaitlistForm
from reuse.eligibility.forms import AttestationForm, QuotientStepForm, ReferrerDocumentForm
from tests.factories.inventory import DeviceFactory
from tests.fixtures import programme  # noqa: F401 (fixture)

QF_FORMS = [QuotientStepForm, AttestationForm, ReferrerDocumentForm]


def _bound(form_class, **data):
    form = form_class(data=data)
    form.is_valid()
    return form


@pytest.mark.parametrize("form_class", QF_FORMS)
def test_a_family_quotient_is_a_text_box_with_a_number_keypad(form_class):
    html = str(form_class()["quotient_familial_eur"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html, html


@pytest.mark.parametrize("form_class", QF_FORMS)
@pytest.mark.parametrize(
    "typed, euros", [("1 234", 1234), ("1\u202f234", 1234), ("650 €", 650), ("640,00", 640)]
)
def test_a_family_quotient_is_read_as_a_french_person_writes_it(form_class, typed, euros):
    form = _bound(form_class, quotient_familial_eur=typed)
    assert "quotient_familial_eur" not in form.errors, form.errors
    assert form.cleaned_data["quotient_familial_eur"] == euros


@pytest.mark.parametrize("form_class", QF_FORMS)
def test_a_family_quotient_with_cents_is_refused_saying_how_to_write_it(form_class):
    """The CAF writes the quotient in whole euros; a figure with cents is a typing slip, asked again in plain
    words rather than rounded (a rounded figure could cross the programme's threshold)."""
    form = _bound(form_class, quotient_familial_eur="650,50")
    assert form.errors["quotient_familial_eur"] == [
        "Écrivez le quotient familial en euros, sans centimes : par exemple 650."
    ]


@pytest.mark.parametrize(
    "form_class, field, data, read",
    [
        (
            WaitlistForm,
            "max_price",
            {"device_type": "laptop"},
            "max_price_cents",
        ),  # the household's highest price
        (
            HandoverConfirmForm,
            "collected",
            {"claim": "1", "code": "ABCD"},
            "collected_cents",
        ),  # cash at the counter
    ],
)
def test_an_amount_in_euros_and_cents_is_a_text_box_read_as_typed(form_class, field, data, read):
    html = str(form_class()[field])
    assert 'type="text"' in html and 'inputmode="decimal"' in html, html
    for typed, cents in [("12,50 €", 1250), ("1 234,50", 123450), ("12.5", 1250)]:
        form = _bound(form_class, **data, **{field: typed})
        assert not form.errors, form.errors
        assert getattr(form, read)() == cents


ROOT = Path(__file__).resolve().parents[1]


def test_no_form_of_the_project_asks_for_euros_in_a_number_box():
    """A decimal typed in a number box is where the comma goes missing: every amount is an EurosField (or, for
    the catalogue's filter, a filter built on it)."""
    found = []
    for app in ("reuse", "donations", "inventory", "cms"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    module = getattr(node.func.value, "id", "")
                    if (module, node.func.attr) in {("forms", "DecimalField"), ("forms", "FloatField")} or (
                        module == "django_filters"
                        and node.func.attr == "NumberFilter"
                        and "€" in ast.unparse(node)
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"use reuse.money.EurosField: {found}"


@pytest.mark.django_db
def test_the_catalogue_filter_reads_a_highest_price_in_euros_and_cents(client, programme):  # noqa: F811
    DeviceFactory(listed=True, price_cents=1250, brand="Douze", model="Cinquante")
    DeviceFactory(listed=True, price_cents=1300, brand="Treize", model="Euros")
    html = client.get("/catalogue/", {"max_price": "12,50 €"}).content.decode()
    assert "Douze Cinquante" in html and "Treize Euros" not in html
    assert re.search(r'<input type="text" name="max_price"[^>]*inputmode="decimal"', html), html


def test_a_workshop_price_and_a_donors_book_value_are_read_in_euros_and_cents():
    price = _bound(PriceForm, grade="A", price_euros="12,50")
    assert not price.errors, price.errors
    assert price.price_cents() == 1250
    item = _bound(ItemForm, type="laptop", brand="Dell", net_book_value="1 234,50 €")
    assert not item.errors, item.errors
    assert item.item()["net_book_value_cents"] == 123450
