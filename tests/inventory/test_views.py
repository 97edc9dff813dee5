"""Workshop pages: registration, dashboard, check-in, device page actions, bench, stock list, labels, import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from donations.enums import LotStatus
from inventory.enums import DeviceState
from inventory.models import Device, DevicePhoto, ErasureRecord, WorkshopProfile
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Organisation
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory
from tests.phone_photos import assert_upright_jpeg_without_metadata, phone_photo
from tests.test_signups import WORKSHOP_PAGE

pytestmark = pytest.mark.django_db


def test_a_new_workshop_registers_with_its_account_and_waits_for_approval(client):
    response = client.post(
        reverse("inventory:register"),
        {
            **WORKSHOP_PAGE,
            "account-password": "un-mot-de-passe-solide-2026",
            "service_departments": "95, 93",
            # Opening hours as people say them: the days, then the hours, on one line per group of days.
            "opening_hours_0": ["Mo", "Tu", "We", "Th", "Fr"],
            "opening_hours_1": "09:00",
            "opening_hours_2": "12:30",
            "opening_hours_3": "13:30",
            "opening_hours_4": "17:00",
            "opening_hours_5": ["Sa"],
            "opening_hours_6": "10:00",
            "opening_hours_7": "12:00",
            "may_issue_tax_receipts": "on",
            "weee_partner": "Ecologic",
        },
    )
    assert response.status_code == 200
    assert "en attente de vérification" in response.content.decode()
    organisation = Organisation.objects.get(name="Atelier Solidaire 95")
    assert organisation.status == OrganisationStatus.PENDING
    profile = WorkshopProfile.objects.get(organisation=organisation)
    assert profile.service_departments == ["95", "93"]
    # Stored in the OpenStreetMap syntax the open-data schema uses.
    assert profile.opening_hours == "Mo-Fr 09:00-12:30,13:30-17:00; Sa 10:00-12:00"
    # Until staff approve it, the workshop's home says it waits and the stock pages are closed.
    waiting = client.get(reverse("inventory:dashboard"))
    assert waiting.status_code == 200 and "en attente de vérification" in waiting.content.decode()
    assert client.get(reverse("inventory:stock")).status_code == 403
    organisation.status = OrganisationStatus.APPROVED
    organisation.save()
    assert client.get(reverse("accounts:home")).url == reverse("inventory:dashboard")
    assert client.get(reverse("inventory:dashboard")).status_code == 200


def test_opening_hours_that_make_no_sense_are_refused_with_the_line_at_fault(client):
    response = client.post(
        reverse("inventory:register"),
        {
            "opening_hours_0": ["Mo"],
            "opening_hours_1": "14:00",
            "opening_hours_2": "09:00",
            "opening_hours_5": [],
            "opening_hours_6": "10:00",
            "opening_hours_7": "12:00",
        },
    )
    page = response.content.decode()
    assert "Ligne 1 : la fermeture (09:00) doit suivre l’ouverture (14:00)." in page
    assert "Ligne 2 : cochez les jours de ces horaires." in page
    assert not Organisation.objects.exists()


def test_registration_form_shows_errors_and_creates_nothing(client):
    response = client.post(reverse("inventory:register"), {"name": "X", "service_departments": "Paris"})
    assert response.status_code == 200
    assert "n’est pas un numéro de département" in response.content.decode()
    assert not Organisation.objects.filter(name="X").exists()


def test_people_outside_workshops_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("inventory:stock")).status_code == 403
    # The workshop's home tells them whose space it is and how to register a workshop.
    landing = client.get(reverse("inventory:dashboard"))
    assert landing.status_code == 200 and reverse("inventory:register") in landing.content.decode()


def test_a_workshop_never_sees_another_workshops_device(bench_client, other_workshop):
    foreign = DeviceFactory(workshop=other_workshop)
    assert bench_client.get(reverse("inventory:device", args=[foreign.asset_tag])).status_code == 404
    response = bench_client.post(
        reverse("inventory:device_transition", args=[foreign.asset_tag]), {"to": "in_repair"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == DeviceState.RECEIVED
    assert foreign.asset_tag not in bench_client.get(reverse("inventory:stock")).content.decode()


def test_check_in_page_prefills_from_the_manifest_and_shows_unreleased_locks_in_red(bench_client, workshop):
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.RECEIVED)
    LotItemFactory(described=True, lot=lot, serial="SER-1", bios_password_removed=False)
    page = bench_client.get(reverse("inventory:check_in"), {"lot": lot.pk}).content.decode()
    assert "badge badge-danger" in page and "mot de passe BIOS retiré" in page
    response = bench_client.post(
        reverse("inventory:check_in"), {"lot": lot.pk, "serial": "SER-1"}, follow=True
    )
    device = Device.objects.get(serial="SER-1")
    assert device.brand == "Dell" and device.lot == lot
    assert f"étiquette {device.asset_tag}" in response.content.decode()


def test_the_technician_wipes_grades_prices_and_lists_a_laptop_on_the_device_page(bench_client, workshop):
    device = DeviceFactory(workshop=workshop, state=DeviceState.READY)
    url = reverse("inventory:device", args=[device.asset_tag])
    page = bench_client.get(url).content.decode()
    assert "A : comme neuf, aucune trace visible" in page
    refused = bench_client.post(
        reverse("inventory:device_price", args=[device.asset_tag]),
        {"grade": "B", "price_euros": "20"},
        follow=True,
    )
    assert "il manque un effacement vérifié" in refused.content.decode()
    device.refresh_from_db()
    assert device.state == DeviceState.READY
    bench_client.post(
        reverse("inventory:device_erasure", args=[device.asset_tag]),
        {
            "media_serial": "S3Z9NB0K",
            "media_type": "ssd",
            "method": "purge",
            "tool": "nwipe",
            "tool_version": "0.34",
            "performed_at": "2026-11-20T14:30",
            "verified": "on",
        },
    )
    record = ErasureRecord.objects.get(device=device)
    assert record.verified and record.operator_id == device.workshop.memberships.get().user_id
    assert record.performed_at.isoformat() == "2026-11-20T13:30:00+00:00"  # 14:30 in Paris
    bench_client.post(
        reverse("inventory:device_price", args=[device.asset_tag]), {"grade": "B", "price_euros": "19.50"}
    )
    device.refresh_from_db()
    assert (device.state, device.grade, device.price_cents) == ("listed", "B", 1950)
    assert "19,50\u00a0€" in bench_client.get(url).content.decode()


def test_device_specs_recycle_and_parts_forms(bench_client, workshop):
    device = DeviceFactory(workshop=workshop)
    bench_client.post(
        reverse("inventory:device_specs", args=[device.asset_tag]),
        {
            "type": "laptop",
            "brand": "Lenovo",
            "model": "T480",
            "serial": device.serial,
            "ram_gb": "16",
            "battery_health": "87",
            "keyboard_layout": "AZERTY",
            "accessories": "chargeur",
            "media_count": "1",
            "grade": "",
        },
    )
    device.refresh_from_db()
    assert (device.ram_gb, device.battery_health, device.keyboard_layout) == (16, 87, "AZERTY")
    bad = bench_client.post(
        reverse("inventory:device_specs", args=[device.asset_tag]),
        {"type": "laptop", "battery_health": "140", "media_count": "1"},
    )
    assert bad.status_code == 422
    donor = DeviceFactory(workshop=workshop)
    bench_client.post(reverse("inventory:device_transition", args=[donor.asset_tag]), {"to": "parts"})
    bench_client.post(
        reverse("inventory:device_part", args=[donor.asset_tag]),
        {"recipient_tag": device.asset_tag.lower(), "part": "clavier"},
    )
    assert device.parts_received.get().donor == donor
    bench_client.post(
        reverse("inventory:device_recycle", args=[device.asset_tag]),
        {"channel": "Ecosystem", "reference": "BSD-9"},
    )
    device.refresh_from_db()
    assert (device.state, device.recycle_reference) == ("recycled", "BSD-9")


def test_photo_upload_through_the_page(bench_client, workshop):
    device = DeviceFactory(workshop=workshop)
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(out, "JPEG")
    bench_client.post(
        reverse("inventory:device_photo", args=[device.asset_tag]),
        {"photo": SimpleUploadedFile("a.jpg", out.getvalue())},
    )
    assert DevicePhoto.objects.filter(device=device).count() == 1
    response = bench_client.post(
        reverse("inventory:device_photo", args=[device.asset_tag]),
        {"photo": SimpleUploadedFile("a.jpg", b"GIF89a not really")},
        follow=True,
    )
    assert "pas une image" in response.content.decode() or "Format refusé" in response.content.decode()
    assert DevicePhoto.objects.filter(device=device).count() == 1


@pytest.mark.parametrize("image_format,name", [("HEIF", "IMG_4032.HEIC"), ("WEBP", "photo.webp")])
def test_a_technicians_phone_photo_is_kept_upright_without_its_gps(
    bench_client, workshop, image_format, name
):
    """A technician photographs the device with their own phone: an iPhone's HEIC was « pas une image lisible »."""
    device = DeviceFactory(workshop=workshop)
    page = bench_client.get(reverse("inventory:device", args=[device.asset_tag])).content.decode()
    assert "image/heic" in page  # the file picker offers the phone's HEIC/HEIF photos
    bench_client.post(
        reverse("inventory:device_photo", args=[device.asset_tag]),
        {"photo": SimpleUploadedFile(name, phone_photo(image_format))},
    )
    photo = DevicePhoto.objects.get(device=device)
    with photo.image.open("rb") as handle:
        assert_upright_jpeg_without_metadata(handle.read())


def test_bench_mode_works_as_a_plain_form_post_and_keeps_results(bench_client, workshop):
    devices = [DeviceFactory(workshop=workshop) for _ in range(2)]
    page = bench_client.get(reverse("inventory:bench")).content.decode()
    assert "autofocus" in page
    bench_client.post(reverse("inventory:bench"), {"action": "in_repair", "code": devices[0].asset_tag})
    response = bench_client.post(
        reverse("inventory:bench"),
        {"action": "in_repair", "code": f"{devices[1].asset_tag} BAD42"},
        follow=True,
    )
    page = response.content.decode()
    assert (
        "Étiquette ou numéro de série inconnu dans votre stock." in page
        and "Passé à « En réparation »" in page
    )
    assert Device.objects.filter(state="in_repair").count() == 2
    # The chosen action stays selected for the next scan.
    assert '<option value="in_repair" selected>' in page


def test_bench_check_in_queues_labels_and_prints_them(bench_client, workshop):
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(described=True, lot=lot, serial="Q1")
    bench_client.post(reverse("inventory:bench"), {"action": "checkin", "code": "Q1", "lot": lot.pk})
    tag = Device.objects.get(serial="Q1").asset_tag
    page = bench_client.get(reverse("inventory:bench")).content.decode()
    assert "1 étiquette en attente d’impression" in page
    response = bench_client.get(reverse("inventory:labels"), {"queue": "1", "sheet": "a4-3x7"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    assert tag in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_a_label_sheet_holds_one_label_a_device_and_at_most_max_labels(bench_client, workshop):
    """A member cannot make the server draw an endless PDF: a tag repeated prints once, and past MAX_LABELS the
    request is refused with a message (in the service, for every caller) before any drawing."""
    from pypdf import PdfReader

    from inventory.models import Device as DeviceModel
    from inventory.services.labels import MAX_LABELS, labels_pdf
    from reuse.errors import InvalidInput

    tag = DeviceFactory(workshop=workshop).asset_tag
    response = bench_client.get(reverse("inventory:labels"), {"tag": [tag] * 900, "sheet": "a4-3x7"})
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1

    with pytest.raises(InvalidInput, match=f"Au plus {MAX_LABELS} étiquettes"):
        labels_pdf([DeviceModel(asset_tag=f"T{n:05d}") for n in range(MAX_LABELS + 1)])
    refused = bench_client.get(
        reverse("inventory:labels"), {"tag": [f"T{n:05d}" for n in range(MAX_LABELS + 1)], "sheet": "a4-3x7"}
    )
    assert refused.status_code == 302


def test_stock_list_filters_counts_and_exports(bench_client, workshop):
    DeviceFactory(workshop=workshop, listed=True, model="Listed One", price_cents=2000, erased=False)
    DeviceFactory(workshop=workshop, model="Fresh One")
    response = bench_client.get(reverse("inventory:stock"), {"state": "listed"})
    page = response.content.decode()
    assert "Listed One" in page and "Fresh One" not in page
    export = bench_client.get(reverse("inventory:stock_csv"), {"state": "received"})
    body = b"".join(export.streaming_content).decode()
    assert body.startswith("\ufeffÉtiquette;Numéro de série;Type;") and "Fresh One" in body
    assert "Listed One" not in body and ";Reçu;" in body


def test_stock_list_queries_do_not_grow_with_the_page(bench_client, workshop):
    lot = LotFactory(assigned=True, workshop=workshop)
    DeviceFactory.create_batch(5, workshop=workshop, lot=lot)
    # The first request of a process fills the site and navigation caches: measure after it.
    bench_client.get(reverse("inventory:stock"))
    with CaptureQueriesContext(connection) as few:
        bench_client.get(reverse("inventory:stock"))
    DeviceFactory.create_batch(45, workshop=workshop, lot=LotFactory(assigned=True, workshop=workshop))
    with CaptureQueriesContext(connection) as many:
        bench_client.get(reverse("inventory:stock"))
    assert len(many) == len(few)


def test_csv_import_page_lists_row_errors(bench_client, workshop):
    response = bench_client.post(
        reverse("inventory:import"),
        {"file": SimpleUploadedFile("s.csv", b"serial,type\nA,laptop\nB,fridge\n")},
    )
    page = response.content.decode()
    assert "rien n’a été importé" in page and "fridge" in page
    assert not Device.objects.exists()
    bench_client.post(
        reverse("inventory:import"), {"file": SimpleUploadedFile("s.csv", b"serial,type\nA,laptop\n")}
    )
    assert Device.objects.get(serial="A").workshop == workshop


def test_staff_see_every_workshops_stock(client, workshop, other_workshop):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    DeviceFactory(workshop=workshop, model="Mine")
    DeviceFactory(workshop=other_workshop, model="Theirs")
    page = client.get(reverse("inventory:stock")).content.decode()
    assert "Mine" in page and "Theirs" in page


def test_staff_approve_a_workshop_in_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    pending = OrganisationFactory(workshop=True, pending=True, email="contact@atelier.test")
    profile = WorkshopProfile.objects.create(organisation=pending)
    client.force_login(staff)
    assert client.get(reverse("workshops:index")).status_code == 200
    url = reverse("inventory_approve_workshop", args=[profile.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.APPROVED
    assert client.get(reverse("devices:index")).status_code == 200
    assert client.get(reverse("erasures:index")).status_code == 200


def test_check_in_from_another_workshops_lot_is_not_found(bench_client, other_workshop):
    lot = LotFactory(assigned=True, workshop=other_workshop)
    assert bench_client.get(reverse("inventory:check_in"), {"lot": lot.pk}).status_code == 404
    response = bench_client.post(reverse("inventory:check_in"), {"lot": lot.pk, "serial": "X"})
    assert response.status_code == 404
    assert not Device.objects.exists()
