"""A programme's territory weights are priority points like its other waitlist weights: the same bounds
(reuse/bounds.py, PRIORITY_WEIGHT, 0–1,000), kept by the admin's form, the model and the database alike.

Staff could type 32,767 points for a territory: every household of it passed before all others on the waiting
list whatever their waiting time, and the priority page published the figure.
"""

import pytest
from django.db import IntegrityError, transaction

from reuse.bounds import FieldInvalid
from reuse.territories.models import TerritoryWeights

pytestmark = pytest.mark.django_db


def test_no_write_path_stores_a_territory_weight_out_of_bounds(programme):
    weights = TerritoryWeights.objects.create(programme=programme, weight_qpv=40)
    weights.weight_rural = 32767
    with pytest.raises(FieldInvalid):
        weights.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryWeights.objects.filter(pk=weights.pk).update(weight_overseas=1001)
