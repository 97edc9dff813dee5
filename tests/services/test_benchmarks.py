"""The claims benchmark runs end to end on PostgreSQL and prints every figure `make bench` reports (no timing
is asserted: only that the figures are there and the race gave exactly one reservation per device)."""

import io
import re

import pytest
from django.core.management import call_command

from inventory.models import Device
from reuse.claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_claims_prints_page_api_and_race_figures_and_cleans_up():
    out = io.StringIO()
    call_command("bench_claims", sizes="40,80", repeat=3, stdout=out)
    text = out.getvalue()
    for label in ("page", "API "):
        for size in (40, 80):
            assert re.search(
                rf"catalogue {label} +{size} listed: median +[\d.]+ ms \(p95 [\d.]+ ms\), SQL queries per request \[\d+",
                text,
            ), text
    assert re.search(
        r"race 50 claimers on 5 devices: reservations 5, unavailable 45, errors 0, other 0", text
    ), text
    assert not Device.objects.filter(asset_tag__startswith="BENCH-").exists()
    assert not Claim.objects.exists()
