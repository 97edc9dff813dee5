"""The files the bench produces (tests/data/bench/), imported as a technician would."""

import importlib.util
from pathlib import Path

from inventory.reports import uploads as reports

BENCH = Path(__file__).resolve().parents[1] / "data" / "bench"


def sample(name: str) -> bytes:
    return (BENCH / name).read_bytes()


def imported(workshop, technician, name, **kwargs):
    return reports.import_upload(
        workshop=workshop, actor=technician, filename=name, data=sample(name), **kwargs
    )


def nwipe_writer():
    """tests/data/bench/make_nwipe_pdf.py, which draws nwipe's certificates as nwipe lays them out."""
    spec = importlib.util.spec_from_file_location("make_nwipe_pdf", BENCH / "make_nwipe_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
