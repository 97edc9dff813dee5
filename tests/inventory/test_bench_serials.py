"""Bench mode takes a scanned serial as well as a Rebond label, whatever the case or the label's prefix."""

import pytest

from inventory.models import Device
from inventory.services.bench import bench_apply, split_codes
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scan", ["pf1abcde", "PF1ABCDE", "S/N:PF1ABCDE", "SN PF1ABCDE"])
def test_a_scanned_serial_moves_the_device(workshop, technician, scan):
    device = DeviceFactory(workshop=workshop, serial="PF1ABCDE")
    [result] = bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=[scan])

    assert result.ok and result.tag == device.asset_tag, result.message
    assert Device.objects.get(pk=device.pk).state == "in_repair"


def test_an_apple_packaging_barcode_finds_the_serial(workshop, technician):
    device = DeviceFactory(workshop=workshop, serial="C02DK1ABMD6M")
    [result] = bench_apply(workshop=workshop, actor=technician, action="labels", codes=["SC02DK1ABMD6M"])

    assert result.ok and result.tag == device.asset_tag


def test_a_serial_shared_by_two_devices_asks_for_the_label(workshop, technician):
    DeviceFactory(workshop=workshop, serial="DUP123", lot=LotFactory(assigned=True, workshop=workshop))
    DeviceFactory(workshop=workshop, serial="dup123", lot=LotFactory(assigned=True, workshop=workshop))
    [result] = bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=["DUP123"])

    assert not result.ok
    assert result.message == "Plusieurs appareils portent ce numéro de série : scannez l’étiquette Rebond."
    assert not Device.objects.filter(state="in_repair").exists()


def test_another_workshops_serial_is_unknown(workshop, technician, other_workshop):
    DeviceFactory(workshop=other_workshop, serial="THEIRS1")
    [result] = bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=["THEIRS1"])

    assert not result.ok and result.message == "Étiquette ou numéro de série inconnu dans votre stock."


def test_check_in_mode_recognises_a_rebond_label_scanned_again(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    [result] = bench_apply(
        workshop=workshop,
        actor=technician,
        action="checkin",
        codes=[device.asset_tag.lower()],
        device_type="laptop",
    )

    assert result.ok and result.message == f"Déjà reçu : étiquette {device.asset_tag}."
    assert Device.objects.count() == 1


def test_the_bench_form_says_a_serial_is_welcome(client, workshop, technician):
    client.force_login(technician)
    page = client.get("/atelier/etabli/").content.decode()

    assert "Scanner ou saisir une étiquette ou un numéro de série" in page


def test_check_in_copies_the_os_the_donors_export_gave(workshop, technician):
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(described=True, lot=lot, serial="IPAD1", type="tablet", os="iPadOS")
    [result] = bench_apply(workshop=workshop, actor=technician, action="checkin", codes=["IPAD1"], lot=lot)

    assert result.ok and Device.objects.get(serial="IPAD1").os == "iPadOS"


# What a scanner left in its factory setting (US keyboard) types on a computer set to French AZERTY: each key it
# presses comes out as the AZERTY character at that place. Written by hand from the two layouts, key by key.
US_KEYS_ON_AZERTY = str.maketrans("1234567890-qQaAwWzZmM;:,./", "&é\"'(-è_çà)aAqQzZwW,?mM;:!")


def typed_on_azerty(code: str) -> str:
    return code.translate(US_KEYS_ON_AZERTY)


def test_the_qr_label_rebond_prints_moves_its_device(workshop, technician):
    """A 2D scanner types the address the label's QR code holds, whichever host printed it."""
    device = DeviceFactory(workshop=workshop, serial="PF1ABCDE")
    address = f"https://rebond.example.org/atelier/appareils/{device.asset_tag}/"
    [result] = bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=[address])

    assert result.ok and result.tag == device.asset_tag, result.message
    assert Device.objects.get(pk=device.pk).state == "in_repair"
    assert not result.notice


def test_a_us_keyboard_scanner_on_azerty_still_finds_the_device(workshop, technician):
    device = DeviceFactory(workshop=workshop, serial="5CG7341QZW")
    scans = [
        typed_on_azerty("5CG7341QZW"),
        typed_on_azerty(f"https://rebond.example.org/atelier/appareils/{device.asset_tag}/"),
    ]
    assert scans[0] == "(CGè\"'&AWZ" and scans[1].startswith("httpsM!!")

    first, second = bench_apply(workshop=workshop, actor=technician, action="labels", codes=scans)

    assert first.ok and first.tag == device.asset_tag and first.code == "5CG7341QZW", first.message
    assert second.ok and second.tag == device.asset_tag, second.message
    assert "QWERTY" in first.notice and "QWERTY" in second.notice


def test_a_letters_only_tag_typed_on_azerty_is_found_as_it_was_meant(workshop, technician):
    """Without a digit, nothing in the scan says it is a US keyboard's: it is read so only when nothing matches
    it as typed."""
    device = DeviceFactory(workshop=workshop, asset_tag="QAZWMK", serial="")
    other = DeviceFactory(workshop=workshop, asset_tag="AQWZ?K", serial="")
    scanned = typed_on_azerty("QAZWMK")
    assert scanned == "AQWZ?K"

    [result] = bench_apply(workshop=workshop, actor=technician, action="labels", codes=[scanned])
    assert result.ok and result.tag == other.asset_tag and not result.notice

    other.delete()
    [result] = bench_apply(workshop=workshop, actor=technician, action="labels", codes=[scanned])
    assert result.ok and result.tag == device.asset_tag and result.notice


def test_check_in_stores_the_serial_a_us_keyboard_scanner_meant(workshop, technician):
    [result] = bench_apply(
        workshop=workshop,
        actor=technician,
        action="checkin",
        codes=[typed_on_azerty("PF2XY789")],
        device_type="laptop",
    )

    assert result.ok and result.notice, result.message
    assert Device.objects.get(asset_tag=result.tag).serial == "PF2XY789"


def test_the_bench_page_shows_the_scanner_notice(client, workshop, technician):
    DeviceFactory(workshop=workshop, serial="5CG7341QZW")
    client.force_login(technician)
    response = client.post(
        "/atelier/etabli/", {"code": typed_on_azerty("5CG7341QZW"), "action": "labels"}, follow=True
    )

    page = response.content.decode()
    assert "5CG7341QZW" in page and "réglez le lecteur en AZERTY" in page


def test_the_check_in_form_stores_the_serial_a_us_keyboard_scanner_meant(client, workshop, technician):
    client.force_login(technician)
    response = client.post(
        "/atelier/entree/", {"serial": typed_on_azerty("PF3XY456"), "type": "laptop"}, follow=True
    )

    assert "réglez le lecteur en AZERTY" in response.content.decode()
    assert Device.objects.get(workshop=workshop).serial == "PF3XY456"


def test_the_qr_label_scanned_into_the_stock_search_finds_its_device(client, workshop, technician):
    device = DeviceFactory(workshop=workshop, model="Latitude 5490")
    DeviceFactory(workshop=workshop, model="Latitude 5490")
    client.force_login(technician)
    address = f"https://rebond.example.org/atelier/appareils/{device.asset_tag}/"
    page = client.get("/atelier/stock/", {"q": address}).content.decode()

    assert page.count("/atelier/appareils/") >= 1 and device.asset_tag in page
    assert [row.asset_tag for row in client.get("/atelier/stock/", {"q": address}).context["devices"]] == [
        device.asset_tag
    ]


def test_the_qr_label_typed_by_a_us_keyboard_scanner_on_azerty_is_one_code_on_the_bench_page(
    client, workshop, technician
):
    # "rebond.example.org" comes as "rebond:exq,ple:org": the scanner's "m" is AZERTY's ",", which must not cut
    # the scan in two as a list of codes would be.
    device = DeviceFactory(workshop=workshop)
    typed = typed_on_azerty(f"https://rebond.example.org/atelier/appareils/{device.asset_tag}/")
    assert "," in typed
    client.force_login(technician)
    response = client.post("/atelier/etabli/", {"code": typed, "action": "labels"}, follow=True)

    [result] = client.session["bench_results"][:1]
    assert result["ok"] and result["tag"] == device.asset_tag, result
    assert "réglez le lecteur en AZERTY" in response.content.decode()
    assert split_codes("PF1ABCDE, PF2ABCDE;PF3ABCDE  PF4ABCDE") == [
        "PF1ABCDE",
        "PF2ABCDE",
        "PF3ABCDE",
        "PF4ABCDE",
    ]
