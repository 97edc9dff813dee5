"""Workshop use-cases: check-in, tags, erasures, photos, import/export, labels, bench mode, parts."""

import io
import re
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from donations.enums import LotStatus
from inventory import photos, services, stock_import
from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent, DevicePhoto, ErasureRecord, WorkshopProfile
from reuse.accounts.enums import OrganisationStatus
from reuse.errors import Conflict, IllegalTransition, InvalidInput, NotFound, TooLarge
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def test_register_workshop_creates_a_pending_organisation_with_its_profile():
    admin = UserFactory()
    organisation = services.register_workshop(
        admin=admin,
        name="Atelier Test",
        siret="73282932000074",
        address="1 rue",
        postcode="95100",
        city="Argenteuil",
        service_departments=["93"],
        monthly_capacity=50,
        opening_hours="Mo-Fr 09:00-17:00",
        may_issue_tax_receipts=True,
        weee_partner="Ecologic",
    )
    assert organisation.kind == "workshop" and organisation.status == OrganisationStatus.PENDING
    profile = WorkshopProfile.objects.get(organisation=organisation)
    assert profile.service_departments == ["95", "93"]
    assert profile.weee_partner == "Ecologic" and profile.may_issue_tax_receipts
    assert organisation.memberships.get().user == admin


def test_opening_hours_are_checked_on_every_write_path():
    from django.core.exceptions import ValidationError

    with pytest.raises(InvalidInput, match="Horaires illisibles"):
        services.register_workshop(
            admin=UserFactory(),
            name="Atelier Texte Libre",
            siret="73282932000074",
            address="1 rue",
            postcode="95100",
            city="Argenteuil",
            opening_hours="du lundi au vendredi, le matin",
        )
    assert not WorkshopProfile.objects.exists()
    # The model itself refuses them: the admin's form and any other ModelForm go through this.
    profile = WorkshopProfile(
        organisation=OrganisationFactory(workshop=True), opening_hours="Mo-Fr 18:00-09:00"
    )
    with pytest.raises(ValidationError, match="ferme après avoir ouvert"):
        profile.full_clean()
    profile.opening_hours = "Mo-Fr 09:00-12:00; Fr 14:00-17:00"
    with pytest.raises(ValidationError, match="vendredi apparaît dans deux plages"):
        profile.full_clean()


def test_parse_departments_refuses_nonsense():
    assert services.parse_departments("93, 95;2A 75") == ["93", "95", "2A", "75"]
    with pytest.raises(InvalidInput):
        services.parse_departments("93, Paris")


def test_asset_tags_are_short_readable_and_retry_on_collision(workshop, technician):
    tag = services.new_asset_tag()
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{6}", tag)
    DeviceFactory(asset_tag="AAAAAA")
    with mock.patch.object(services, "new_asset_tag", side_effect=["AAAAAA", "AAAAAA", "BBBBBB"]):
        outcome = services.check_in(workshop=workshop, actor=technician, type="laptop", serial="X1")
    assert outcome.device.asset_tag == "BBBBBB"


def test_check_in_from_a_lot_prefills_specs_from_the_manifest_and_flags_unreleased_locks(
    workshop, technician
):
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.COLLECTED)
    LotItemFactory(
        described=True,
        lot=lot,
        serial="ABC123",
        brand="Apple",
        model="iPhone 8",
        type="smartphone",
        frp_removed=True,
        activation_lock_off=False,
    )
    outcome = services.check_in(workshop=workshop, actor=technician, lot=lot, serial="abc123")
    device = outcome.device
    assert outcome.created
    assert (device.type, device.brand, device.model, device.serial, device.lot) == (
        "smartphone",
        "Apple",
        "iPhone 8",
        "ABC123",
        lot,
    )
    assert outcome.warnings == ["Localiser / verrouillage d’activation désactivé"]
    event = DeviceEvent.objects.get(device=device)
    assert event.to_state == "received" and "verrouillage" in event.note
    again = services.check_in(workshop=workshop, actor=technician, lot=lot, serial="ABC123")
    assert not again.created and again.device == device
    assert Device.objects.count() == 1


def test_check_in_refuses_a_lot_of_another_workshop_or_not_yet_accepted(workshop, technician, other_workshop):
    with pytest.raises(NotFound):
        services.check_in(
            workshop=workshop,
            actor=technician,
            lot=LotFactory(assigned=True, workshop=other_workshop),
            serial="1",
        )
    with pytest.raises(NotFound):
        services.check_in(
            workshop=workshop,
            actor=technician,
            lot=LotFactory(assigned=True, workshop=workshop, status=LotStatus.SUBMITTED),
            serial="1",
        )


def test_a_walk_in_needs_a_type(workshop, technician):
    with pytest.raises(InvalidInput, match="type"):
        services.check_in(workshop=workshop, actor=technician, serial="ZZ")
    outcome = services.check_in(workshop=workshop, actor=technician, serial="ZZ", type="tablet")
    assert outcome.device.lot is None and outcome.device.state == DeviceState.RECEIVED


def test_erasure_records_are_validated(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    with pytest.raises(InvalidInput, match="Méthode inconnue"):
        services.record_erasure(
            device=device,
            operator=technician,
            method="format",
            tool="dd",
            tool_version="1",
            media_serial="D",
            verified=True,
        )
    record = services.record_erasure(
        device=device,
        operator=technician,
        method="purge",
        tool="nwipe",
        tool_version="0.34",
        media_serial="D",
        verified=True,
    )
    assert record.operator == technician and record.performed_at
    device.state = DeviceState.LISTED
    device.grade, device.price_cents = "A", 0
    device.save()
    with pytest.raises(Conflict):
        services.record_erasure(
            device=device,
            operator=technician,
            method="purge",
            tool="nwipe",
            tool_version="0.34",
            media_serial="D",
            verified=True,
        )


def test_price_and_list_in_one_step_rolls_back_when_listing_is_refused(workshop, technician):
    device = DeviceFactory(workshop=workshop, state=DeviceState.READY)
    with pytest.raises(IllegalTransition):
        services.price_and_list(device=device, actor=technician, price_cents=1500, grade="A")
    device.refresh_from_db()
    assert device.price_cents is None and device.grade == ""
    ErasureRecordFactory(device=device)
    services.price_and_list(device=device, actor=technician, price_cents=0, grade="A")
    device.refresh_from_db()
    assert (device.state, device.price_cents, device.grade) == ("listed", 0, "A")


def test_parts_donor_is_linked_to_the_device_it_repaired(workshop, technician):
    donor = DeviceFactory(workshop=workshop, state=DeviceState.PARTS)
    recipient = DeviceFactory(workshop=workshop, state=DeviceState.IN_REPAIR)
    use = services.link_part(donor=donor, recipient=recipient, part="écran", actor=technician)
    assert list(recipient.parts_received.all()) == [use]
    with pytest.raises(Conflict):
        services.link_part(donor=recipient, recipient=donor, part="clavier", actor=technician)


# Photos -------------------------------------------------------------------------------------------------


def jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_reencoded_without_metadata_with_a_small_webp_thumbnail(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    original = jpeg_with_gps()
    assert b"SecretCam" in original
    photo = photos.add_photo(device=device, actor=technician, upload=SimpleUploadedFile("p.jpg", original))
    stored = default_storage.open(photo.image.name).read()
    assert b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    thumb = default_storage.open(photo.thumbnail.name).read()
    assert len(thumb) <= 20 * 1024
    assert Image.open(io.BytesIO(thumb)).format == "WEBP"


def test_a_noisy_photo_still_gets_a_thumbnail_under_20_kb(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    noise = Image.frombytes("RGB", (1200, 900), bytes(__import__("os").urandom(1200 * 900 * 3)))
    out = io.BytesIO()
    noise.save(out, "PNG")
    photo = photos.add_photo(
        device=device, actor=technician, upload=SimpleUploadedFile("n.png", out.getvalue())
    )
    assert len(default_storage.open(photo.thumbnail.name).read()) <= 20 * 1024


def test_non_images_bombs_and_oversized_files_are_refused_and_nothing_is_written(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    with pytest.raises(InvalidInput, match="pas une image"):
        photos.add_photo(
            device=device, actor=technician, upload=SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image")
        )
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    with pytest.raises(InvalidInput, match="trop grande"):
        photos.add_photo(device=device, actor=technician, upload=SimpleUploadedFile("b.png", bomb.getvalue()))
    big = SimpleUploadedFile("big.jpg", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(TooLarge):
        photos.add_photo(device=device, actor=technician, upload=big)
    assert not DevicePhoto.objects.exists()


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
    with pytest.raises(services.RowErrors) as exc:
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
    rows = list(services.export_rows(Device.objects.all()))
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
    rows = list(services.export_rows(Device.objects.all()))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Type"], row["État"], row["Prix solidaire (€)"], row["Écran (pouces)"]) == (
        "Ordinateur portable",
        "En ligne",
        "45,50",
        "14,0",
    )
    with translation.override("en"):
        english = list(services.export_rows(Device.objects.all()))
    assert english[0][:3] == ["Asset tag", "Serial number", "Type"]
    assert dict(zip(english[0], english[1], strict=True))["Solidarity price (€)"] == "45.50"
    # Exported, then imported again as it is (French or English): every device is updated to what it was.
    before = list(Device.objects.values())
    for exported in (rows, english):
        text = "\n".join(";".join(str(cell) for cell in line) for line in exported)
        assert stock_import.import_stock_csv(workshop=workshop, actor=technician, data=text.encode()) == {
            "created": 0,
            "updated": 1,
        }
    assert list(Device.objects.values()) == before


# Labels and bench ---------------------------------------------------------------------------------------


def test_label_sheet_pdf_holds_each_tag_and_starts_a_new_page_after_21_labels(workshop, settings):
    settings.PUBLIC_BASE_URL = "https://rebond.example"
    devices = [DeviceFactory(workshop=workshop) for _ in range(22)]
    reader = PdfReader(io.BytesIO(services.labels_pdf(devices, sheet="a4-3x7")))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert devices[0].asset_tag in text and devices[20].asset_tag in text
    assert devices[21].asset_tag in reader.pages[1].extract_text()
    assert (
        services.device_public_url(devices[0])
        == f"https://rebond.example/atelier/appareils/{devices[0].asset_tag}/"
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
    results = services.bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=codes)
    assert [r.ok for r in results] == [True, True, False, False, True, False]
    assert results[5].message == "Déjà scanné dans ce lot de scans."
    assert "inconnu" in results[2].message
    assert Device.objects.filter(state="in_repair").count() == 3
    foreign.refresh_from_db()
    assert foreign.state == "received"
    ready = services.bench_apply(
        workshop=workshop, actor=technician, action="ready", codes=[mine[0].asset_tag]
    )
    assert ready[0].ok, ready[0].message
    again = services.bench_apply(
        workshop=workshop, actor=technician, action="listed", codes=[mine[0].asset_tag]
    )
    assert not again[0].ok and "effacement" in again[0].message


def test_bench_check_in_scans_serials_of_a_lot(workshop, technician):
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(described=True, lot=lot, serial="A1")
    LotItemFactory(described=True, lot=lot, serial="A2", mdm_released=False)
    results = services.bench_apply(
        workshop=workshop, actor=technician, action="checkin", codes=["A1", "A2", "A1"], lot=lot
    )
    assert [r.ok for r in results] == [True, True, True]
    assert "Déjà reçu" in results[2].message
    assert results[1].warnings and not results[0].warnings
    assert Device.objects.filter(lot=lot).count() == 2
    assert ErasureRecord.objects.count() == 0
