"""A code copied from paper (a voucher, the handover code, the follow-up questionnaire's code, a sign-in code) is
typed with capitals offered and nothing that would change its letters: no spelling correction, no suggestion.

On a phone, a text box left to its defaults capitalises the first letter only, and spell-checks and autocorrects
what is typed (WHATWG HTML standard, « 6.8.7 Autocapitalization » and « 6.8.4 Spelling and grammar checking »:
`autocapitalize="characters"` asks for capitals, `spellcheck="false"` for no checking): « ACD-EFG » typed on
a phone may be sent as « Acd-efg » fixed into a word. Every form that asks for such a code says so."""

import pytest

from reuse.aftercare.forms import CodeProblemForm, FollowUpCodeForm, WorkshopProblemForm
from reuse.claims.forms import ClaimForm, HandoverCodeForm, VoucherForm
from reuse.eligibility.forms import CodeLoginForm

CODES = [
    (ClaimForm, "voucher_code", "off"),
    (VoucherForm, "code", "off"),
    (HandoverCodeForm, "code", "off"),
    (CodeProblemForm, "code", "off"),
    (WorkshopProblemForm, "code", "off"),
    (FollowUpCodeForm, "code", "off"),
    # The sign-in code: a password manager may offer it as a one-time code.
    (CodeLoginForm, "code", "one-time-code"),
]


@pytest.mark.parametrize(("form_class", "name", "autocomplete"), CODES)
def test_the_code_box_offers_capitals_and_changes_no_letter(form_class, name, autocomplete):
    box = str(form_class()[name])

    assert 'autocapitalize="characters"' in box and 'spellcheck="false"' in box, box
    assert f'autocomplete="{autocomplete}"' in box, box
