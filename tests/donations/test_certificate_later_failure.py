"""A certificate that vouched for a device whose erasure was later found failed never goes on vouching for it.

The donor's auditor, or the buyer of a refurbished laptop, opens the code printed on the certificate the donor
filed. Once the workshop records that a drive the certificate gives as erased failed a new check (a new
record, the latest for that medium, not verified), no newer certificate may exist yet: the lot is no longer
settled, so the render task issues none, and nobody downloaded one. The verification page must then say that
the certificate no longer covers that device, serial by serial, whatever later certificate exists or not.
"""

import pytest
from django.utils import timezone

from inventory.donor_reports import certificates
from inventory.services.erasures import record_erasure
from tests.donations.certificate_helpers import received_lot
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def settled_lot(client):
    """Two laptops, each with its one drive purged and verified; the certificate the task issues for it."""
    lot = received_lot(client)
    for serial, drive in (("PF3ABC12", "S4EWNX0N123456"), ("PF3ABC13", "S4EWNX0N654321")):
        device = DeviceFactory(lot=lot, workshop=lot.workshop, serial=serial)
        ErasureRecordFactory(ssd=True, device=device, operator=lot.member, media_serial=drive)
    certificate = certificates.issue_certificate(lot=lot, settled_only=True)
    assert certificate is not None
    return lot, certificate


def test_the_page_of_a_certificate_says_which_device_it_no_longer_covers(client):
    lot, certificate = settled_lot(client)
    record_erasure(
        device=lot.devices.get(serial="PF3ABC12"),
        operator=lot.member,
        method="purge",
        tool="nwipe",
        tool_version="0.37",
        media_serial="S4EWNX0N123456",
        verified=False,
        performed_at=timezone.now(),
    )
    client.logout()  # a third party holding the printed code

    page = client.get(f"/dons/certificats/{certificate.code}/").content.decode()
    found = client.get(f"/dons/certificats/{certificate.code}/", {"serie": "PF3ABC12"}).content.decode()
    other = client.get(f"/dons/certificats/{certificate.code}/", {"serie": "PF3ABC13"}).content.decode()

    assert 'data-no-longer-covered="1"' in page
    assert "data-no-longer-covered-device" in found and "ÉCHEC de l’effacement" in found
    assert "data-no-longer-covered-device" not in other  # the other laptop's erasure still holds


def test_an_unchanged_lot_shows_no_such_warning(client):
    _lot, certificate = settled_lot(client)
    client.logout()

    page = client.get(f"/dons/certificats/{certificate.code}/").content.decode()

    assert "data-no-longer-covered" not in page and 'data-verified="yes"' in page
