"""What a certificate vouched for that the lot's erasures no longer hold.

A certificate is frozen: its content and hash never change, and the one issued after a change of the lot names it
as replaced. But a device it gives as erased may later be found otherwise (a drive's new check failed, a medium
found in it without erasure) while no newer certificate exists: the render task issues none until the lot is
settled again, and the donor may never download one. The verification page reads the lot's erasures as they are
now, judged by the one rule (certificates.lot_devices, inventory.erasure.erasure_state), so that a printed
certificate never goes on vouching, to whoever checks it, for a device whose erasure no longer holds.
"""

from donations.models import ErasureCertificate
from inventory.donor_reports import certificates

# The states in which a device's erasure no longer holds (erasure_state): a certificate that said « verified »
# does not cover it any more. « no_data » and an outcome (recycling, parts) are not a withdrawal.
NOT_ERASED = ("failed", "incomplete", "none")


def _key(device: dict) -> tuple[str, str]:
    return device["serial"], device["asset_tag"]


def no_longer_covered(certificate: ErasureCertificate) -> dict[tuple[str, str], str]:
    """{(serial, asset tag): the device's erasure as it is now, in words} of the devices `certificate` gave as
    erased and verified whose erasure no longer holds; empty while every such device's still does."""
    vouched = {
        _key(device) for device in certificate.content.get("devices", []) if device["erasure"] == "verified"
    }
    if not vouched:
        return {}
    devices, _verified = certificates.lot_devices(certificate.lot)
    return {
        _key(device): certificates.device_erasure_label(device)
        for device in devices
        if _key(device) in vouched and device["erasure"] in NOT_ERASED
    }
