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
from tests.factories.programmes import ProgrammePriceFactory, admin_form, admin_price_rows

pytestmark = pytest.mark.django_db

ROWS = [("laptop", "A"), ("laptop", "B"), ("laptop", "C"), ("smartphone", "B"), ("tablet", "B")]


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
        response = client.post(
            "/admin/programmes/new/",
            admin_form() | admin_price_rows([(kind, grade, "0", "50,00") for kind, grade in ROWS]),
        )

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
