"""The files the bench produces (tests/data/bench/), imported as a technician would."""

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

from donations.models import Lot
from inventory.reports import uploads as reports

BENCH = Path(__file__).resolve().parents[1] / "data" / "bench"


# Before the samples' erasures (February 2026): an erasure older than the donation proves nothing
# (inventory/reports/proofs.py), so the lots the samples' devices come from are declared before it.
DONATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def declared_before_samples(lot: Lot) -> Lot:
    Lot.objects.filter(pk=lot.pk).update(created=DONATED)
    lot.refresh_from_db()
    return lot


def sample(name: str) -> bytes:
    return (BENCH / name).read_bytes()


def imported(workshop, technician, name, **kwargs):
    return reports.import_upload(
        workshop=workshop, actor=technician, filename=name, data=sample(name), **kwargs
    )


def uploaded_json(workshop, technician, document: dict, **kwargs):
    """A JSON report (or snapshot) built in the test, imported as a technician would."""
    return reports.import_upload(
        workshop=workshop,
        actor=technician,
        filename="report.json",
        data=json.dumps(document).encode(),
        **kwargs,
    )


def json_sample(name: str) -> dict:
    return json.loads(sample(name))


def nwipe_writer():
    """tests/data/bench/make_nwipe_pdf.py, which draws nwipe's certificates as nwipe lays them out."""
    spec = importlib.util.spec_from_file_location("make_nwipe_pdf", BENCH / "make_nwipe_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
