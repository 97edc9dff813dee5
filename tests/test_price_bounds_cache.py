"""The programme's price bounds read from the cache (reuse.programmes.services.price_bounds_of): one read when
warm, and any change of a programme or of its prices seen at once by the device page and the price check."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.transitions import check_price, price_bounds
from reuse.errors import IllegalTransition
from reuse.programmes.models import ProgrammePrice
from reuse.programmes.services import price_bounds_of
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory, ProgrammePriceFactory

pytestmark = pytest.mark.django_db


def test_bounds_are_read_once_then_follow_every_change():
    programme = ProgrammeFactory(departments=["93"])
    price = ProgrammePriceFactory(
        programme=programme, device_type="laptop", grade="B", min_cents=3000, max_cents=9000
    )
    assert price_bounds_of("93", "laptop", "B") == (3000, 9000)
    with CaptureQueriesContext(connection) as captured:
        assert price_bounds_of("93", "laptop", "B") == (3000, 9000)
    assert len(captured) == 0
    # A price changed, then removed: the type and grade then allow a free gift only.
    price.max_cents = 12000
    price.save()
    assert price_bounds_of("93", "laptop", "B") == (3000, 12000)
    ProgrammePrice.objects.filter(pk=price.pk).delete()
    assert price_bounds_of("93", "laptop", "B") == (0, 0)
    # A department the programme stops covering, then the programme gone: no programme, no bounds.
    assert price_bounds_of("95", "laptop", "B") is None
    programme.departments = ["95"]
    programme.save()
    assert price_bounds_of("93", "laptop", "B") is None
    assert price_bounds_of("95", "laptop", "B") == (0, 0)
    programme.delete()
    assert price_bounds_of("95", "laptop", "B") is None


def test_the_price_check_uses_the_new_bounds_at_once():
    programme = ProgrammeFactory(departments=["93"])
    price = ProgrammePriceFactory(
        programme=programme, device_type="laptop", grade="B", min_cents=3000, max_cents=9000
    )
    device = DeviceFactory(workshop__department="93", type="laptop", grade="B", price_cents=10000)
    assert price_bounds(device) == (3000, 9000)
    with pytest.raises(IllegalTransition):
        check_price(device)
    price.max_cents = 11000
    price.save()
    check_price(device)
