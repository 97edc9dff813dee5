"""The files the bench produces (tests/data/bench/), imported as a technician would."""

from pathlib import Path

from inventory.reports import uploads as reports

BENCH = Path(__file__).resolve().parents[1] / "data" / "bench"


def sample(name: str) -> bytes:
    return (BENCH / name).read_bytes()


def imported(workshop, technician, name, **kwargs):
    return reports.import_upload(
        workshop=workshop, actor=technician, filename=name, data=sample(name), **kwargs
    )
