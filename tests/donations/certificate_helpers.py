"""What the tests of a donor's documents share: a received lot with its donor signed in, the rows of its outcome
export, the text of a PDF (tests.documents.pdf_text)."""

import csv
import io

from donations.models import ErasureCertificate
from tests.documents import pdf_text
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


def certificate_text(client, lot) -> str:
    """The text of the lot's erasure certificate as `client` downloads it (issued on the first download)."""
    return pdf_text(client.get(f"/dons/lots/{lot.pk}/certificat.pdf").content)


def verification_page(client, lot, **query) -> str:
    """The public verification page of the lot's certificate (its only one), as anyone opens it signed out after
    the donor downloaded the certificate on `client`; `query`: the page's search (`serie=`)."""
    client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    client.logout()
    return client.get(f"/dons/certificats/{ErasureCertificate.objects.get().code}/", query).content.decode()


def outcome_rows(response) -> list[list[str]]:
    """The rows of a lot's outcome export (devenir.csv as a spreadsheet opens it: UTF-8 with a BOM, « ; » between
    cells), its header first."""
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def outcome_by_serial(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """Each device's row of `outcome_rows`, by its serial, as column name -> cell."""
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


__all__ = [
    "certificate_text",
    "half_erased_lot",
    "outcome_by_serial",
    "outcome_rows",
    "pdf_text",
    "received_lot",
    "verification_page",
]
