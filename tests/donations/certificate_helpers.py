"""What the tests of a donor's documents share: a received lot with its donor signed in, the text of a PDF."""

import io

from pypdf import PdfReader

from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, workshop_with_member


def received_lot(client):
    """A lot received by a workshop, its donor signed in on `client`; the workshop's member as `lot.member`."""
    workshop, member = workshop_with_member()
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    client.force_login(user)
    lot.member = member
    return lot


def half_erased_lot(client):
    """A received lot of two laptops, PF3ABC12 erased and verified, PF3ABC13 not yet; its donor signed in."""
    lot = received_lot(client)
    erased = DeviceFactory(lot=lot, workshop=lot.workshop, serial="PF3ABC12")
    DeviceFactory(lot=lot, workshop=lot.workshop, serial="PF3ABC13")
    ErasureRecordFactory(ssd=True, device=erased, operator=lot.member, media_serial="S4EWNX0N123456")
    return lot


def pdf_text(content: bytes) -> str:
    """The words of every page, each run of spaces (line breaks, no-break spaces) read as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
