import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_pages_prints_weights_within_budget(demo):
    out = io.StringIO()
    call_command("bench_pages", stdout=out)
    lines = out.getvalue().splitlines()
    home = next(line for line in lines if line.startswith("home"))
    eligibility = next(line for line in lines if line.startswith("eligibility"))
    assert "KB gzip" in home and "requests" in home and home.endswith("OK")
    assert eligibility.endswith("OK")
    assert any(line.startswith("catalogue") for line in lines)
    # The fifth page of a household's journey, and the brotli and image figures of each.
    sign_up = next(line for line in lines if line.startswith("sign-up"))
    assert sign_up.endswith("OK") and "KB brotli" in sign_up and "+ images" in sign_up
