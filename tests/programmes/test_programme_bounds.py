"""A programme's rules are numbers staff type in the admin; each has bounds that every write path keeps.

A hold of 0 hours expires each claim as it is made; a decision valid 0 months ends the day it is given; a cap
counted over 0 months counts no earlier claim, so a household claims without end; a cap counted over 32,767
months reaches before year 1 and every claim of the territory fails with a server error; a programme ending
before it starts covers nobody. The admin's form says so next to the field, the model refuses it on save, and
the database refuses it from any other write (a bulk update, a script).
"""

import pytest
from django.db import IntegrityError, transaction

from reuse.bounds import FieldInvalid
from reuse.programmes.models import Programme
from tests.factories.programmes import admin_form

pytestmark = pytest.mark.django_db

OUT_OF_BOUNDS = [
    ("hold_hours", 0),
    ("decision_validity_months", 0),
    ("household_cap_months", 0),
    ("household_cap_months", 32767),
    ("decision_validity_months", 32767),
    ("document_retention_days", 32767),
    ("quotient_familial_max_eur", 2_000_000),
    ("weight_qpv_zrr", 32767),
]


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_the_admin_form_refuses_a_rule_out_of_bounds(staff_client, programme, field, value):
    before = Programme.objects.filter(pk=programme.pk).values(field).get()
    form = admin_form(name=programme.name, departments="93, 75", criteria=["rsa", "quotient_familial"])
    form |= {"quotient_familial_max_eur": "700", field: str(value)}
    response = staff_client.post(f"/admin/programmes/edit/{programme.pk}/", form)
    assert response.status_code == 200, response.status_code
    assert "error-message" in response.content.decode()
    assert Programme.objects.filter(pk=programme.pk).values(field).get() == before


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_no_write_path_stores_a_rule_out_of_bounds(programme, field, value):
    setattr(programme, field, value)
    with pytest.raises(FieldInvalid):
        programme.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(**{field: value})


def test_the_database_refuses_a_programme_that_ends_before_it_starts(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(ends_on="2024-12-31")
