"""Staff saving a programme with its price rows sweeps the catalogue once (inventory/receivers.py), not once per row:
each sweep reads every listed device."""

from unittest import mock

import pytest
from django.db import transaction

from inventory.enums import DeviceState
from inventory.services import prices
from reuse.programmes.models import ProgrammePrice
from tests.factories.accounts import UserFactory
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammePriceFactory

pytestmark = pytest.mark.django_db

PROGRAMME = {
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
}
ROWS = [("laptop", "A"), ("laptop", "B"), ("laptop", "C"), ("smartphone", "B"), ("tablet", "B")]


def price_rows(max_euros: str) -> dict:
    data = {
        "prices-TOTAL_FORMS": str(len(ROWS)),
        "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
    }
    for index, (device_type, grade) in enumerate(ROWS):
        data |= {
            f"prices-{index}-device_type": device_type,
            f"prices-{index}-grade": grade,
            f"prices-{index}-min_cents": "0",
            f"prices-{index}-max_cents": max_euros,
            f"prices-{index}-ORDER": str(index + 1),
            f"prices-{index}-id": "",
            f"prices-{index}-DELETE": "",
        }
    return data


@pytest.fixture
def sweeps():
    with mock.patch.object(prices, "withdraw_out_of_bounds", wraps=prices.withdraw_out_of_bounds) as sweep:
        yield sweep


def test_a_programme_saved_with_its_price_rows_sweeps_the_catalogue_once(
    client, sweeps, django_capture_on_commit_callbacks
):
    dear = DeviceFactory(listed=True, type="laptop", grade="B", price_cents=8000, workshop__department="93")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/programmes/new/", PROGRAMME | price_rows("50,00"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ProgrammePrice.objects.count() == len(ROWS)
    assert sweeps.call_count == 1
    dear.refresh_from_db()
    assert dear.state == DeviceState.READY


def test_a_change_rolled_back_does_not_hold_back_the_next_sweep(sweeps, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        price = ProgrammePriceFactory(programme__departments=["93"])
    sweeps.reset_mock()

    with pytest.raises(RuntimeError), transaction.atomic():
        price.max_cents = 5000
        price.save()
        raise RuntimeError("staff's save failed further on")
    with django_capture_on_commit_callbacks(execute=True):
        price.max_cents = 6000
        price.save()
        price.programme.save()

    assert sweeps.call_count == 1
