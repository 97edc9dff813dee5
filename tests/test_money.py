"""One money formatter, in the reader's language: « 25,00 € » in French, "€25.00" in English, everywhere an
amount is shown (pages, e-mails, the admin), and French on the documents written in French."""

import io

import pytest
from django.template import Context, Template
from django.utils import translation
from pypdf import PdfReader

from reuse.claims.receipts import handover_receipt_pdf
from reuse.claims.services import reservations
from reuse.eligibility import reasons
from reuse.money import format_euros, format_price
from tests.factories.accounts import household
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "cents", "expected"),
    [
        ("fr", 2500, f"25,00{NBSP}€"),
        ("fr", 123450, f"1\u202f234,50{NBSP}€"),
        ("en", 2500, "€25.00"),
        ("en", 123450, "€1,234.50"),
        ("fr", 0, f"0,00{NBSP}€"),
        ("en", None, ""),
    ],
)
def test_format_euros_follows_the_active_language(language, cents, expected):
    with translation.override(language):
        assert format_euros(cents) == expected


def test_a_document_in_french_keeps_french_figures_whatever_the_reader_reads():
    with translation.override("en"):
        assert format_euros(1250, language="fr") == f"12,50{NBSP}€"


def test_a_price_of_nothing_reads_free_in_each_language():
    with translation.override("fr"):
        assert format_price(0) == "gratuit" and format_price(4550) == f"45,50{NBSP}€"
    with translation.override("en"):
        assert format_price(0) == "free" and format_price(4550) == "€45.50"
    assert format_price(None) == ""


@pytest.mark.parametrize("library", ["claims_tags", "portal_tags", "inventory_tags"])
def test_every_euros_filter_is_the_one_formatter(library):
    template = Template(f"{{% load {library} %}}{{{{ amount|euros }}}}")
    for language, expected in (("fr", f"25,00{NBSP}€"), ("en", "€25.00")):
        with translation.override(language):
            assert template.render(Context({"amount": 2500})) == expected


@pytest.mark.django_db
def test_the_claim_page_shows_the_amount_due_in_the_readers_language(client):
    household = eligible()
    device = DeviceFactory(listed=True, price_cents=2500)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    client.force_login(household)
    # The locale middleware leaves the last request's language active: the override puts the default back.
    with translation.override("fr"):
        french = client.get(f"/demandes/{claim.pk}/", headers={"accept-language": "fr"}).content.decode()
        english = client.get(f"/demandes/{claim.pk}/", headers={"accept-language": "en"}).content.decode()
    assert f"25,00{NBSP}€" in french and "€25.00" not in french
    assert "€25.00" in english and f"25,00{NBSP}€" not in english


@pytest.mark.django_db
def test_the_handover_receipt_writes_money_in_the_households_language_not_the_printers():
    claim = reservations.create_claim(
        actor=eligible(), device_id=DeviceFactory(listed=True, price_cents=1250).pk
    )
    with translation.override("en"):  # printed by someone reading English, for a household reading French
        pdf = handover_receipt_pdf(claim)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "12,50" in text and "€12.50" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", f"Quotient familial de 700{NBSP}€ : il ne dépasse pas le plafond de 1\u202f000{NBSP}€."),
        ("en", "Family quotient of €700: it is not above the €1,000 limit."),
    ],
)
def test_a_family_quotient_reason_writes_its_figures_in_the_readers_language(language, expected):
    with translation.override(language):
        assert reasons.render(reasons.reason("quotient_within", qf=700, max=1000)) == expected


@pytest.mark.django_db
def test_the_questionnaire_writes_the_ceiling_in_the_readers_language(client):
    ProgrammeFactory(every_check=True, declarations=True, quotient_familial_max_eur=1200)
    client.force_login(household())
    # The locale middleware leaves the last request's language active: the override puts the default back.
    with translation.override("fr"):
        client.post("/eligibilite/questionnaire/", {"step": "aids"})
        french = client.get(
            "/eligibilite/questionnaire/", headers={"accept-language": "fr"}, follow=True
        ).content.decode()
        english = client.get(
            "/eligibilite/questionnaire/", headers={"accept-language": "en"}, follow=True
        ).content.decode()
    assert f"quotient familial est de 1\u202f200{NBSP}€ ou moins" in french
    assert "If your family quotient is €1,200 or less" in english
