"""bench_donor walks its whole journey on a small fleet: every page answers and the figures are printed."""

import io

import pytest
from django.core.management import call_command

from donations.models import Lot


@pytest.mark.django_db(transaction=True)
def test_bench_donor_prints_a_figure_for_each_step_of_a_small_fleet():
    out = io.StringIO()
    call_command("bench_donor", rows=12, stdout=out)
    lines = out.getvalue().splitlines()

    assert sum("12 lignes écrites" in line for line in lines) == 2
    assert any(line.strip().startswith("donateur (traité) : certificat d’effacement (PDF)") for line in lines)
    assert lines[-1].strip().startswith("reçu fiscal (PDF)") and "(HTTP 200)" in lines[-1]
    lot = Lot.objects.filter(title__startswith="Parc CSV Intune").get()
    assert lot.status == "received" and lot.devices.count() == 12 and lot.certificates.count() == 1
