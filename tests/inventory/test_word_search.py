"""The stock list's word search finds devices by part of their model or by their serial in another case, and on
PostgreSQL it does so through the indexes of migration inventory 0007 rather than by reading every device."""

import pytest
from django.db import connection, transaction

from inventory.filters import StockFilter
from inventory.models import Device
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return Organisation.objects.create(
        kind=OrganisationKind.WORKSHOP,
        name="Atelier des Mots",
        address="1 rue du Test",
        postcode="13001",
        city="Marseille",
        department="13",
        siret="35600000000048",
    )


def _device(workshop, tag, model, serial):
    return Device.objects.create(workshop=workshop, asset_tag=tag, type="laptop", model=model, serial=serial)


def _found(workshop, words):
    stock = Device.objects.filter(workshop=workshop)
    return set(StockFilter({"q": words}, queryset=stock).qs.values_list("asset_tag", flat=True))


def test_words_find_a_part_of_the_model_and_a_serial_in_any_case(workshop):
    _device(workshop, "A2345B", "Latitude 5490", "CN0ABC12")
    _device(workshop, "A2345C", "ThinkPad T480", "PF1XYZ99")
    assert _found(workshop, "itude 54") == {"A2345B"}
    assert _found(workshop, "THINKPAD") == {"A2345C"}
    assert _found(workshop, "pf1xyz99") == {"A2345C"}
    assert _found(workshop, "Elitebook") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_postgresql_answers_the_word_search_from_its_indexes(workshop):
    _device(workshop, "A2345B", "Latitude 5490", "CN0ABC12")
    with transaction.atomic(), connection.cursor() as cursor:
        # On a handful of rows PostgreSQL would rightly read the table: forbid that to see which index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        by_model = Device.objects.filter(model__icontains="itude").explain()
        by_serial = Device.objects.filter(serial__iexact="cn0abc12").explain()
    assert "device_model_upper_trgm" in by_model, by_model
    assert "device_serial_upper" in by_serial, by_serial
