"""What a screen reader says on a form, and where a refused form leaves the person: each field's hint is read
with the field, and after a refusal the browser starts on the error summary, not at the top of the page."""

from html.parser import HTMLParser

import pytest

from tests.factories.accounts import household
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every element's attributes, and the text inside each element that has an id."""

    def __init__(self):
        super().__init__()
        self.attrs, self.text, self._open = [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attrs.append((tag, attrs))
        if attrs.get("id") and tag not in ("input", "br", "img", "meta", "link"):
            self._open.append(attrs["id"])
            self.text.setdefault(attrs["id"], "")

    def handle_data(self, data):
        for element_id in self._open:
            self.text[element_id] += data

    def handle_endtag(self, tag):
        if self._open and tag in ("p", "div", "span", "fieldset", "legend", "label"):
            self._open.pop()


def parse(response) -> Elements:
    parser = Elements()
    parser.feed(response.content.decode())
    return parser


def described_by(page: Elements, input_name: str) -> str:
    """The words a screen reader adds to the field: the text of the elements its aria-describedby names."""
    attrs = next(attrs for tag, attrs in page.attrs if attrs.get("name") == input_name)
    return " ".join(page.text.get(element_id, "") for element_id in attrs["aria-describedby"].split())


def test_a_fields_hint_is_read_with_the_field(client):
    page = parse(client.get("/eligibilite/inscription/"))
    assert "Au moins 10 caractères" in described_by(page, "password")
    assert "éviter les doublons" in described_by(page, "birth_date")


def test_a_refused_sign_up_keeps_the_hint_beside_the_error(client):
    response = client.post("/eligibilite/inscription/", {"first_name": "Fatou", "password": "court"})
    words = described_by(parse(response), "password")
    assert "Au moins 10 caractères" in words and "trop court" in words


def test_after_a_refused_form_the_browser_starts_on_the_error_summary(client):
    response = client.post("/eligibilite/inscription/", {"first_name": "Fatou"})
    focused = [(tag, attrs) for tag, attrs in parse(response).attrs if "autofocus" in attrs]
    assert [attrs.get("id") for _tag, attrs in focused] == ["form-errors"]


def test_a_refused_reservation_far_down_the_device_page_takes_the_focus(client):
    ProgrammeFactory()
    client.force_login(eligible(household()))
    first, second = DeviceFactory.create_batch(2, listed=True, price_cents=0)
    assert client.post(f"/catalogue/{first.pk}/demander/", {}).status_code == 302
    response = client.post(f"/catalogue/{second.pk}/demander/", {})  # over the programme's cap
    assert response.status_code == 403
    page = parse(response)
    assert "Plafond atteint" in page.text["form-errors"]
    assert any(attrs.get("id") == "form-errors" and "autofocus" in attrs for _tag, attrs in page.attrs)


def test_a_refused_sign_in_starts_on_its_summary_not_on_the_email_field(client):
    """The e-mail field opens the sign-in page with the focus; after a refusal the summary takes it first (it
    comes first in the page), so that the reason is read before the field (RGAA 11.10)."""
    response = client.post(
        "/compte/connexion/", {"username": "nobody@example.org", "password": "wrong-password"}
    )
    page = parse(response)
    assert "form-errors" in page.text  # refused, with its summary
    focused = [attrs.get("id") or attrs.get("name") for _tag, attrs in page.attrs if "autofocus" in attrs]
    assert focused[0] == "form-errors", focused


def test_the_bench_scanner_field_keeps_the_focus_after_a_refusal():
    from cms.templatetags.portal_tags import errors_take_focus
    from inventory.forms import BenchForm

    assert errors_take_focus(BenchForm(data={})) is False


def test_a_filtered_catalogue_opens_at_its_list_not_under_the_filters(client):
    DeviceFactory.create_batch(2, listed=True)
    page = parse(client.get("/catalogue/?type=laptop&limit=1"))
    filters = next(attrs for tag, attrs in page.attrs if tag == "form" and attrs.get("method") == "get")
    assert filters["action"].endswith("#appareils")
    assert "Appareils disponibles" in page.text["appareils"]
