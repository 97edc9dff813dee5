"""Rebond's own JSON erasure report (README « Formats understood »: {"tool", "tool_version", "media": [{"serial",
"method", "nist_level", "verified", "result"…}]}) gets the NIST SP 800-88 level of its method, as every other
tool's report: an overwrite from the computer is « clear » (whatever pattern and passes), the drive's own
command (Secure Erase, Sanitize, a cryptographic erase) « purge », and a report never proves a destruction. A
« nist_level » claiming more than its method reaches is set aside, saying why; it was taken as written."""

import pytest

from inventory.models import ErasureRecord, ErasureReport
from tests.inventory.bench_samples import imported, json_sample, uploaded_json

pytestmark = pytest.mark.django_db


def _report(method: str, level: str | None) -> dict:
    document = json_sample("erasure_report.json")
    document["media"][0]["method"] = method
    if level is None:
        del document["media"][0]["nist_level"]
    else:
        document["media"][0]["nist_level"] = level
    return document


@pytest.mark.parametrize(
    "method, level, why",
    [
        ("DoD 5220.22-M (3 passes)", "purge", "« purge »"),
        ("Zero fill, 1 pass", "purge", "« purge »"),
        ("NVMe Sanitize (cryptographic erase)", "destroy", "ne prouve pas une destruction"),
    ],
)
def test_a_level_its_method_does_not_reach_is_set_aside_saying_why(
    workshop, technician, fleet, method, level, why
):
    imported(workshop, technician, "lshw_elitebook_840.json")

    [outcome] = uploaded_json(workshop, technician, _report(method, level))

    assert not outcome.ok
    assert "support n° 1" in outcome.message and why in outcome.message, outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


@pytest.mark.parametrize(
    "method, stated, chosen, recorded",
    [
        # An overwrite is Clear, whatever the report or the technician says less or more.
        ("Random data, 1 pass, verified", "clear", "", "clear"),
        ("DoD 5220.22-M (3 passes)", None, "purge", "clear"),
        # The drive's own erasure is Purge, stated or not.
        ("NVMe Sanitize (cryptographic erase)", None, "", "purge"),
        ("ATA Secure Erase Enhanced", "clear", "", "purge"),
    ],
)
def test_the_level_recorded_is_the_methods(workshop, technician, fleet, method, stated, chosen, recorded):
    imported(workshop, technician, "lshw_elitebook_840.json")

    [outcome] = uploaded_json(workshop, technician, _report(method, stated), level=chosen)

    assert outcome.ok, outcome.message
    assert ErasureRecord.objects.get().method == recorded
