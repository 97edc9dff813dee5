"""A code copied from paper on a phone (a handover code « CAT-EAT », a follow-up code, a sign-in code, a voucher)
is sent as typed: the phone's keyboard offers capitals and neither corrects it into a word nor suggests one.

What turns that off is read from the input's attributes by the keyboards themselves: Safari on iOS reads
`autocorrect` and `autocapitalize` (WebKit's « Safari HTML Reference », Text input: `autocorrect="off"`), Chromium
passes `autocomplete`, `autocorrect`, `spellcheck` and `autocapitalize` to Android's keyboard as its text input
flags (chromium/src third_party/blink/renderer/core/editing/ime/input_method_controller.cc, TextInputFlags), and
the HTML standard defines `autocapitalize` and `autocorrect` (WHATWG HTML, « User interaction », autocapitalization
and autocorrection). A field that lacks them lets iOS turn « cateat » into « create » before it is sent."""

from html.parser import HTMLParser

import pytest

from reuse.aftercare.forms import CodeProblemForm, FollowUpCodeForm, WorkshopProblemForm
from reuse.claims.forms import ClaimForm, HandoverCodeForm, VoucherForm
from reuse.eligibility.forms import CodeLoginForm

pytestmark = pytest.mark.django_db

KEPT_AS_TYPED = {"autocorrect": "off", "spellcheck": "false", "autocapitalize": "characters"}


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_name = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.by_name[attrs["name"]] = attrs


def input_named(response, name: str) -> dict:
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser.by_name[name]


def kept_as_typed(attrs: dict) -> dict:
    return {key: attrs.get(key) for key in KEPT_AS_TYPED}


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/garantie/", "code"),  # a problem reported without an account, the receipt in one hand
        ("/suivi/", "code"),  # the 3-month questionnaire's code, printed on the receipt
        ("/eligibilite/connexion-code/", "code"),  # the sign-in code a social worker printed
    ],
)
def test_the_code_a_household_types_from_paper_is_not_corrected(client, url, name):
    assert kept_as_typed(input_named(client.get(url), name)) == KEPT_AS_TYPED


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (ClaimForm, "voucher_code"),
        (VoucherForm, "code"),
        (HandoverCodeForm, "code"),
        (CodeLoginForm, "code"),
        (CodeProblemForm, "code"),
        (WorkshopProblemForm, "code"),
        (FollowUpCodeForm, "code"),
    ],
)
def test_every_code_field_keeps_the_letters_as_typed(form, name):
    assert kept_as_typed(form().fields[name].widget.attrs) == KEPT_AS_TYPED
