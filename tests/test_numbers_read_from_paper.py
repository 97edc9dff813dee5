"""A number copied from paper (the receipt's « Reçu de remise n° 1 234 », the claim number above the handover code)
is typed in a text box with a number keypad, and read as the digits the person typed.

A `<input type=number>` does not: by the WHATWG HTML standard (« 4.10.5.1.12 Number state », value sanitization
algorithm) a value that is not a « valid floating-point number » becomes the empty string, so « 1 234 » typed on a
phone is sent empty (« Ce champ est obligatoire. »), and « 1e3 » is a valid floating-point number that it accepts.
"""

import pytest

from reuse.aftercare.forms import CodeProblemForm, WorkshopProblemForm
from reuse.claims.forms import HandoverCodeForm

FIELDS = [
    (CodeProblemForm, "claim_number"),
    (WorkshopProblemForm, "claim_number"),
    (HandoverCodeForm, "claim"),
]


@pytest.mark.parametrize(("form_class", "name"), FIELDS)
def test_the_box_is_text_with_a_number_keypad(form_class, name):
    box = str(form_class()[name])
    assert 'type="text"' in box and 'inputmode="numeric"' in box, box


@pytest.mark.parametrize(("form_class", "name"), FIELDS)
@pytest.mark.parametrize(
    ("typed", "read"),
    [("1234", 1234), (" 1 234 ", 1234), ("1\u202f234", 1234), ("n° 1234", 1234), ("#1234", 1234)],
)
def test_the_number_is_read_as_typed(form_class, name, typed, read):
    field = form_class().fields[name]
    assert field.clean(typed) == read


@pytest.mark.parametrize(("form_class", "name"), FIELDS)
@pytest.mark.parametrize("typed", ["1e3", "12.5", "-4", "0", "٣", "12a", "9" * 30])
def test_what_is_not_a_number_written_on_paper_is_refused_in_words(form_class, name, typed):
    form = form_class(data={name: typed})
    assert not form.is_valid()
    assert "chiffres" in form.errors[name][0], form.errors[name]
