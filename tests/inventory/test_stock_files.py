"""The workshop's stock as files and scans: CSV import and export, label sheets, bench mode."""

import io

import pytest
from pypdf import PdfReader

from inventory import stock_import
from inventory.models import Device, ErasureRecord
from inventory.services.bench import bench_apply
from inventory.services.labels import device_public_url, labels_pdf
from inventory.services.stock_csv import RowErrors, export_rows
from reuse.errors import InvalidInput
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


# Import and export --------------------------------------------------------------------------------------


def test_csv_import_creates_and_updates_by_serial(workshop, technician):
    existing = DeviceFactory(workshop=workshop, serial="S-1", brand="Dell")
    data = (
        "Numéro de série;Type;Marque;Grade;Prix solidaire (€)\n"
        "S-1;Ordinateur portable;HP;B;\nS-2;tablet;Apple;;12,50\n"
    ).encode("cp1252")
    assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data) == {
        "created": 1,
        "updated": 1,
        "lost_letters": [],
    }
    existing.refresh_from_db()
    assert (existing.brand, existing.grade) == ("HP", "B")
    new = Device.objects.get(serial="S-2")
    assert new.workshop == workshop and new.type == "tablet" and new.events.count() == 1
    # The price is typed in euros, as a person writes it, and stored in cents.
    assert new.price_cents == 1250


def test_csv_prices_in_cents_are_refused_with_the_column_to_use(workshop, technician):
    data = b"serial;type;price_cents\nS-1;laptop;4500\n"
    with pytest.raises(InvalidInput, match="Prix solidaire \\(€\\)") as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)
    assert "45,00" in str(exc.value.message)
    assert not Device.objects.exists()


def test_a_bad_csv_row_refuses_the_whole_file(workshop, technician):
    data = b"serial,type,ram_gb\nS-1,laptop,8\nS-2,toaster,8\nS-3,laptop,lots\n,laptop,4\n"
    with pytest.raises(RowErrors) as exc:
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=data)
    # Each error names the column as the reader calls it.
    assert [(e["row"], e["field"]) for e in exc.value.errors] == [
        (3, "Type"),
        (4, "Mémoire vive (Go)"),
        (5, "Numéro de série"),
    ]
    assert not Device.objects.exists()
    with pytest.raises(InvalidInput, match="Colonnes inconnues"):
        stock_import.import_stock_csv(workshop=workshop, actor=technician, data=b"serial,owner\n1,x\n")


def test_csv_export_neutralises_formula_looking_cells(workshop):
    DeviceFactory(workshop=workshop, model='=HYPERLINK("http://evil")', brand="+33 1", serial="@SUM")
    rows = list(export_rows(Device.objects.all()))
    assert rows[0][0] == "Étiquette"
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Modèle"].startswith("'=") and row["Marque"] == "'+33 1" and row["Numéro de série"] == "'@SUM"


def test_the_stock_csv_speaks_the_readers_language_and_comes_back_unchanged(workshop, technician):
    from django.utils import translation

    device = DeviceFactory(
        workshop=workshop,
        serial="RT-1",
        listed=True,
        price_cents=4550,
        screen_inches="14.0",
        model="ThinkPad T480",
        erased=False,
    )
    ErasureRecordFactory(
        device=device
    )  # a listed laptop was wiped: the import saves it again under the erasure rule
    rows = list(export_rows(Device.objects.all()))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Type"], row["État"], row["Prix solidaire (€)"], row["Écran (pouces)"]) == (
        "Ordinateur portable",
        "En ligne",
        "45,50",
        "14,0",
    )
    with translation.override("en"):
        english = list(export_rows(Device.objects.all()))
    assert english[0][:3] == ["Asset tag", "Serial number", "Type"]
    assert dict(zip(english[0], english[1], strict=True))["Solidarity price (€)"] == "45.50"
    # Exported, then imported again as it is (French or English): every device is updated to what it was.
    before = list(Device.objects.values())
    for exported in (rows, english):
        text = "\n".join(";".join(str(cell) for cell in line) for line in exported)
        assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=text.encode()) == {
            "created": 0,
            "updated": 1,
            "lost_letters": [],
        }
    assert list(Device.objects.values()) == before


# Labels and bench ---------------------------------------------------------------------------------------


def test_label_sheet_pdf_holds_each_tag_and_starts_a_new_page_after_21_labels(workshop, settings):
    settings.PUBLIC_BASE_URL = "https://rebond.example"
    devices = [DeviceFactory(workshop=workshop) for _ in range(22)]
    reader = PdfReader(io.BytesIO(labels_pdf(devices, sheet="a4-3x7")))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert devices[0].asset_tag in text and devices[20].asset_tag in text
    assert devices[21].asset_tag in reader.pages[1].extract_text()
    assert (
        device_public_url(devices[0]) == f"https://rebond.example/atelier/appareils/{devices[0].asset_tag}/"
    )


def test_bench_applies_one_action_to_each_scan_and_reports_each_result(workshop, technician, other_workshop):
    mine = [DeviceFactory(workshop=workshop) for _ in range(3)]
    foreign = DeviceFactory(workshop=other_workshop)
    codes = [
        mine[0].asset_tag.lower(),
        mine[1].serial,
        foreign.asset_tag,
        "NOPE",
        mine[2].asset_tag,
        mine[2].asset_tag,
    ]
    results = bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=codes)
    assert [r.ok for r in results] == [True, True, False, False, True, False]
    assert results[5].message == "Déjà scanné dans ce lot de scans."
    assert "inconnu" in results[2].message
    assert Device.objects.filter(state="in_repair").count() == 3
    foreign.refresh_from_db()
    assert foreign.state == "received"
    ready = bench_apply(workshop=workshop, actor=technician, action="ready", codes=[mine[0].asset_tag])
    assert ready[0].ok, ready[0].message
    again = bench_apply(workshop=workshop, actor=technician, action="listed", codes=[mine[0].asset_tag])
    assert not again[0].ok and "effacement" in again[0].message


def test_bench_check_in_scans_serials_of_a_lot(workshop, technician):
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(described=True, lot=lot, serial="A1")
    LotItemFactory(described=True, lot=lot, serial="A2", mdm_released=False)
    results = bench_apply(
        workshop=workshop, actor=technician, action="checkin", codes=["A1", "A2", "A1"], lot=lot
    )
    assert [r.ok for r in results] == [True, True, True]
    assert "Déjà reçu" in results[2].message
    assert results[1].warnings and not results[0].warnings
    assert Device.objects.filter(lot=lot).count() == 2
    assert ErasureRecord.objects.count() == 0
