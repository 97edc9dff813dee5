"""Programmes and their price bounds. The default programme is the one claims need (93 and 75, RSA or CSS,
attestation or declaration); traits give the eligibility desk's and the public eligibility page's programmes."""

import datetime

import factory
from factory.django import DjangoModelFactory

from reuse.eligibility.enums import Criterion, Evidence
from reuse.programmes.models import Programme, ProgrammePrice


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    departments = factory.LazyFunction(lambda: ["93", "75"])
    starts_on = datetime.date(2025, 1, 1)
    criteria = factory.LazyFunction(lambda: ["rsa", "css"])
    accepted_evidence = factory.LazyFunction(lambda: ["attestation", "declaration"])
    hold_hours = 48
    household_cap_devices = 1
    household_cap_months = 24
    association_cap_per_year = 5

    class Params:
        # Every criterion, a family-quotient ceiling and API Particulier: what the eligibility rules are tried on.
        every_check = factory.Trait(
            departments=factory.LazyFunction(lambda: ["93", "95"]),
            criteria=factory.LazyFunction(lambda: list(Criterion.values)),
            quotient_familial_max_eur=700,
            accepted_evidence=factory.LazyFunction(
                lambda: [Evidence.ATTESTATION, Evidence.DOCUMENT, Evidence.API_PARTICULIER]
            ),
            api_particulier_recipient_siret="21930066200015",
            association_cap_per_year=10,
        )
        # The same programme where a household may declare its situation instead of calling API Particulier.
        declarations = factory.Trait(
            every_check=True,
            accepted_evidence=factory.LazyFunction(
                lambda: [Evidence.ATTESTATION, Evidence.DOCUMENT, Evidence.DECLARATION]
            ),
        )
        # A 2026 programme in 93 for RSA or a family quotient up to 700 €, on an attestation only.
        family_quotient = factory.Trait(
            departments=factory.LazyFunction(lambda: ["93"]),
            starts_on=datetime.date(2026, 1, 1),
            criteria=factory.LazyFunction(lambda: [Criterion.RSA, Criterion.QUOTIENT_FAMILIAL]),
            quotient_familial_max_eur=700,
            accepted_evidence=factory.LazyFunction(lambda: [Evidence.ATTESTATION]),
            association_cap_per_year=10,
        )
        ended = factory.Trait(ends_on=datetime.date(2026, 2, 1))


class ProgrammePriceFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammePrice

    programme = factory.SubFactory(ProgrammeFactory, family_quotient=True)
    device_type = "laptop"
    grade = "B"
    min_cents = 3000
    max_cents = 9000


def admin_form(**fields) -> dict:
    """A programme as staff fill its admin form (/admin/programmes/), `fields` changed; no price row."""
    return {
        "name": "Seine-Saint-Denis",
        "departments": "93",
        "starts_on": "2026-01-01",
        "ends_on": "",
        "is_active": "on",
        "criteria": ["rsa"],
        "quotient_familial_max_eur": "",
        "accepted_evidence": ["attestation"],
        "decision_validity_months": "12",
        "document_retention_days": "30",
        "api_particulier_recipient_siret": "",
        "household_cap_devices": "1",
        "household_cap_months": "24",
        "association_cap_per_year": "10",
        "hold_hours": "48",
        "claim_cooldown_hours": "24",
        "weight_waiting_days": "1",
        "weight_qpv_zrr": "30",
        "weight_no_computer": "30",
        "weight_children_at_school": "20",
        **admin_price_rows([]),
        **fields,
    }


def admin_price_rows(rows) -> dict:
    """The admin form's new price rows, each (device type, grade, minimum, maximum) as staff type them in euros."""
    data = {
        "prices-TOTAL_FORMS": str(len(rows)),
        "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
    }
    for index, (device_type, grade, low, high) in enumerate(rows):
        data |= {
            f"prices-{index}-device_type": device_type,
            f"prices-{index}-grade": grade,
            f"prices-{index}-min_cents": low,
            f"prices-{index}-max_cents": high,
            f"prices-{index}-ORDER": str(index + 1),
            f"prices-{index}-id": "",
            f"prices-{index}-DELETE": "",
        }
    return data
