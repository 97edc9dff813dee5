"""Each medium's erasure in the donor's outcome export and report API: a laptop with two drives, one purged and one
destroyed, says both drives' fate (the DPO proves each serial from the spreadsheet), the device's line keeps its
columns in place and says the weakest; a phone's embedded storage is its one medium."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from inventory.models import Device
from tests.donations.certificate_helpers import outcome_by_serial, outcome_rows, received_lot
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db

# The columns donors' spreadsheets read by position, as the header line read before the per-medium column (written
# out here, not taken from the export's code: a column moved there must fail this test).
COLUMNS_BEFORE = (
    "numero_de_serie;etiquette;type;marque;modele;etat;grade;effacement;effacement_methode;effacement_outil;"
    "effacement_date;devenir;departement;filiere_deee;effacement_norme"
).split(";")


@pytest.fixture
def lot(client):
    lot = received_lot(client)
    workshop, member = lot.workshop, lot.member
    now = timezone.now()
    laptop = DeviceFactory(lot=lot, workshop=workshop, serial="5CD9281XYZ", media_count=2)
    # The NVMe drive: NVMe Format with User Data Erase (nvme-cli), a purge.
    ErasureRecordFactory(
        device=laptop,
        operator=member,
        ssd=True,
        method="purge",
        tool="nvme-cli",
        tool_version="2.8",
        media_serial="S4EWNX0N123456",
        performed_at=now - timedelta(days=2),
    )
    # The hard disk announced its failure: shredded the day after, the shredder's certificate noted.
    ErasureRecordFactory(
        device=laptop,
        operator=member,
        shredded=True,
        media_make="Seagate",
        media_model="ST1000LM035",
        media_serial="ZDE3K7PQ",
        notes="Certificat de destruction HSM n° 2026-118",
        performed_at=now - timedelta(days=1),
    )
    Device.objects.filter(pk=laptop.pk).update(state="handed_over", grade="B", outcome_department="93")
    # A phone: no removable medium, its embedded storage erased by cryptographic erase (factory reset).
    phone = DeviceFactory(lot=lot, workshop=workshop, serial="R58R30ABCDE", phone=True, media_count=1)
    ErasureRecordFactory(
        device=phone,
        operator=member,
        method="purge",
        tool="Blancco Mobile Device Eraser",
        tool_version="5.6",
        media_serial="R58R30ABCDE",
        performed_at=now - timedelta(days=1),
    )
    return lot


def _day(delta_days):
    return timezone.localtime(timezone.now() - timedelta(days=delta_days)).strftime("%Y-%m-%d")


def test_the_csv_export_says_each_drives_fate_and_keeps_its_columns_in_place(client, lot):
    rows = outcome_rows(client.get(f"/dons/lots/{lot.pk}/devenir.csv"))

    assert rows[0][: len(COLUMNS_BEFORE)] == COLUMNS_BEFORE
    by_serial = outcome_by_serial(rows)
    laptop = by_serial["5CD9281XYZ"]
    # The device's line says the level the whole laptop is vouched for: its weakest medium, purged.
    assert laptop["effacement"] == "vérifié"
    assert laptop["effacement_methode"] == "purge"
    assert laptop["effacement_norme"] == "NIST SP 800-88 Purge"
    assert laptop["effacement_supports"] == (
        f"S4EWNX0N123456: NIST SP 800-88 Purge, nvme-cli 2.8, {_day(2)}, vérifié"
        f" | ZDE3K7PQ: NIST SP 800-88 Destroy, HSM Powerline HDS 230, {_day(1)}, vérifié"
    )
    assert by_serial["R58R30ABCDE"]["effacement_supports"] == (
        f"R58R30ABCDE: NIST SP 800-88 Purge, Blancco Mobile Device Eraser 5.6, {_day(1)}, vérifié"
    )


def test_the_xlsx_export_reads_the_same_by_position(client, lot):
    response = client.get(f"/dons/lots/{lot.pk}/devenir.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert rows[0][: len(COLUMNS_BEFORE)] == COLUMNS_BEFORE
    laptop = next(row for row in rows if row[0] == "5CD9281XYZ")
    assert laptop[COLUMNS_BEFORE.index("effacement_methode")] == "purge"
    assert "ZDE3K7PQ: NIST SP 800-88 Destroy" in laptop[len(COLUMNS_BEFORE)]
    assert "S4EWNX0N123456: NIST SP 800-88 Purge" in laptop[len(COLUMNS_BEFORE)]


def test_the_report_api_lists_each_medium_beside_its_documented_fields(api_client, lot):
    body = api_client.get(f"/api/v1/lots/{lot.pk}/report").json()
    by_serial = {device["serial"]: device for device in body["devices"]}

    erasure = by_serial["5CD9281XYZ"]["erasure"]
    assert {"method", "tool", "date", "verified", "media_count"} <= set(erasure)
    assert erasure["method"] == "purge" and erasure["verified"] is True and erasure["media_count"] == 2
    assert [
        (medium["serial"], medium["method"], medium["tool"], medium["verified"])
        for medium in erasure["media"]
    ] == [
        ("S4EWNX0N123456", "purge", "nvme-cli 2.8", True),
        ("ZDE3K7PQ", "destroy", "HSM Powerline HDS 230", True),
    ]
    phone = by_serial["R58R30ABCDE"]["erasure"]
    assert [(medium["serial"], medium["level"]) for medium in phone["media"]] == [
        ("R58R30ABCDE", "NIST SP 800-88 Purge")
    ]
