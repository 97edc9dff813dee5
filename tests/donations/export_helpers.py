"""What the tests of donors' exports share: the sample files, the job an upload started, the rows it stored."""

from pathlib import Path

from donations.models import ImportJob, LotItem

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def sample(name: str) -> bytes:
    return (EXPORTS / name).read_bytes()


def job_of(response) -> ImportJob:
    assert response.status_code == 202, response.content
    return ImportJob.objects.get(pk=response.json()["job_id"])


def items(lot) -> dict:
    return {item.serial: item for item in LotItem.objects.filter(lot=lot)}
