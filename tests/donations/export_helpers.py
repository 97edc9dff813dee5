"""What the tests of donors' exports share: the sample files, the job an upload started, the rows it stored."""

import io
from pathlib import Path

import openpyxl

from donations.models import ImportJob, LotItem

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def sample(name: str) -> bytes:
    return (EXPORTS / name).read_bytes()


def job_of(response) -> ImportJob:
    assert response.status_code == 202, response.content
    return ImportJob.objects.get(pk=response.json()["job_id"])


def items(lot) -> dict:
    return {item.serial: item for item in LotItem.objects.filter(lot=lot)}


def xlsx_with(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
