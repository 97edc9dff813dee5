"""A phone's or a tablet's erasure: its storage is soldered and unreadable from outside, so no tool gives a drive
serial and no nwipe log exists. NIST SP 800-88 Rev. 1, appendix A (mobile devices): the factory reset of a device
whose storage is encrypted (iOS's « Effacer contenu et réglages », Android's reset with encryption on) is a
cryptographic erase, a Purge. The technician records it on the device page or through the API without a drive
serial: the erasure is that of the device's own storage, named by the device's serial. A laptop, whose drives are
separate media, cannot be recorded that way."""

import pytest

from inventory.donor_reports.certificates import certificate_content
from inventory.enums import DeviceState, DeviceType, ErasureMethod, StorageMedium
from inventory.forms import ErasureForm
from inventory.services.devices import price_and_list
from reuse.accounts.services import issue_api_token
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

RESET = {
    "method": "purge",
    "tool": "Effacer contenu et réglages (réinitialisation, stockage chiffré)",
    "tool_version": "iOS 17.5",
    "verified": True,
}


@pytest.fixture
def api(api_client, technician):
    return api_client.with_token(issue_api_token(user=technician))


@pytest.mark.parametrize("device_type", [DeviceType.SMARTPHONE, DeviceType.TABLET])
def test_a_phone_reset_is_recorded_without_a_drive_serial_and_the_phone_can_be_listed(
    api, workshop, technician, device_type
):
    lot = LotFactory(workshop=workshop, received=True)
    phone = DeviceFactory(
        workshop=workshop, lot=lot, type=device_type, serial="F2LZK0XYHG7F", media_count=1, ready=True
    )

    # The device page's type list left on its first choice (a hard drive): the phone's storage is its flash.
    response = api.post(f"/api/v1/devices/{phone.pk}/erasure", {**RESET, "media_type": StorageMedium.HDD})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["media_serial"], body["media_type"], body["method"]) == (
        "F2LZK0XYHG7F",
        StorageMedium.EMMC,
        ErasureMethod.PURGE,
    )
    # The donor's certificate: the device's built-in storage, purged by its reset, verified.
    [medium] = certificate_content(lot)["media"]
    assert (medium["serial"], medium["host_serial"], medium["type"], medium["level"], medium["verified"]) == (
        "F2LZK0XYHG7F",
        "F2LZK0XYHG7F",
        StorageMedium.EMMC,
        "NIST SP 800-88 Purge",
        True,
    )
    assert medium["tool"] == RESET["tool"]
    listed = price_and_list(device=phone, actor=technician, price_cents=5000, grade="B")
    assert listed.state == DeviceState.LISTED


def test_the_device_page_form_asks_no_drive_serial(workshop):
    form = ErasureForm({**RESET, "verified": "on", "media_type": StorageMedium.EMMC})

    assert form.is_valid(), form.errors


def test_a_laptop_is_not_recorded_as_erased_without_its_drives_serial(api, workshop):
    laptop = DeviceFactory(workshop=workshop, type=DeviceType.LAPTOP, serial="PF1ABCDE", ready=True)

    response = api.post(f"/api/v1/devices/{laptop.pk}/erasure", {**RESET, "tool_version": "0.37"})

    assert response.status_code == 422
    assert "Indiquez le numéro de série du support effacé" in response.json()["detail"]
    assert not laptop.erasures.exists()
