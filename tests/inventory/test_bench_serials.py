"""Bench mode takes a scanned serial as well as a Rebond label, whatever the case or the label's prefix."""

import pytest

from inventory import services
from inventory.models import Device
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scan", ["pf1abcde", "PF1ABCDE", "S/N:PF1ABCDE", "SN PF1ABCDE"])
def test_a_scanned_serial_moves_the_device(workshop, technician, scan):
    device = DeviceFactory(workshop=workshop, serial="PF1ABCDE")
    [result] = services.bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=[scan])

    assert result.ok and result.tag == device.asset_tag, result.message
    assert Device.objects.get(pk=device.pk).state == "in_repair"


def test_an_apple_packaging_barcode_finds_the_serial(workshop, technician):
    device = DeviceFactory(workshop=workshop, serial="C02DK1ABMD6M")
    [result] = services.bench_apply(
        workshop=workshop, actor=technician, action="labels", codes=["SC02DK1ABMD6M"]
    )

    assert result.ok and result.tag == device.asset_tag


def test_a_serial_shared_by_two_devices_asks_for_the_label(workshop, technician):
    DeviceFactory(workshop=workshop, serial="DUP123", lot=LotFactory(assigned=True, workshop=workshop))
    DeviceFactory(workshop=workshop, serial="dup123", lot=LotFactory(assigned=True, workshop=workshop))
    [result] = services.bench_apply(workshop=workshop, actor=technician, action="in_repair", codes=["DUP123"])

    assert not result.ok
    assert result.message == "Plusieurs appareils portent ce numéro de série : scannez l’étiquette Rebond."
    assert not Device.objects.filter(state="in_repair").exists()


def test_another_workshops_serial_is_unknown(workshop, technician, other_workshop):
    DeviceFactory(workshop=other_workshop, serial="THEIRS1")
    [result] = services.bench_apply(
        workshop=workshop, actor=technician, action="in_repair", codes=["THEIRS1"]
    )

    assert not result.ok and result.message == "Étiquette ou numéro de série inconnu dans votre stock."


def test_check_in_mode_recognises_a_rebond_label_scanned_again(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    [result] = services.bench_apply(
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
    [result] = services.bench_apply(
        workshop=workshop, actor=technician, action="checkin", codes=["IPAD1"], lot=lot
    )

    assert result.ok and Device.objects.get(serial="IPAD1").os == "iPadOS"
