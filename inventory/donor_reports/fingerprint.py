"""The state of a lot as its erasure certificate prints it, read in four cheap queries.

The certificate's content (certificates.certificate_content) judges every device's erasure medium by medium and
costs about a second at 3,000 devices: built at each download, a few donors downloading at once held the web
workers. Its input is a handful of columns of five tables, and the fingerprint is the SHA-256 of those columns as
the database holds them now, read as plain tuples. The lot's latest certificate records the fingerprint it was
built from (ErasureCertificate.lot_fingerprint); a download whose fingerprint is the recorded one serves that
certificate without building anything.

Read from the data at download time, it does not depend on who wrote it: a QuerySet.update of the bench's batch
moves, a bulk_create of imported erasure records, a manifest imported again, the admin, a raw SQL fix. A change
of any of these columns is a new fingerprint, and the content is built again (a new certificate when it differs).

Each column below is one certificate_content reads (directly, through outcomes.lot_devices or
donations.services.reconcile): a column added there is added here, and FORMAT is raised when the content is built
differently from the same columns, so that no certificate built the former way is served again. A test changes
every column of these tables left out here and checks that the content does not move
(tests/donations/test_certificate_fingerprint.py).
"""

import hashlib

from donations.models import Lot, LotItem
from inventory.models import Device, ErasureRecord

FORMAT = "1"
LOT_COLUMNS = ("pk", "title", "donor__name", "donor__siret", "workshop__name")
DEVICE_COLUMNS = (
    "pk",
    "serial",
    "asset_tag",
    "type",
    "brand",
    "model",
    "state",
    "media_count",
    "recycle_channel",
    "recycle_reference",
)
ERASURE_COLUMNS = (
    "pk",
    "device_id",
    "method",
    "tool",
    "tool_version",
    "media_type",
    "media_make",
    "media_model",
    "media_serial",
    "operator_id",
    "operator__first_name",
    "operator__last_name",
    "performed_at",
    "verified",
    "passes",
    "notes",
    "report_id",
    "report__sha256",
    "report__filename",
    "report__tool",
    "report__tool_version",
)
ITEM_COLUMNS = ("pk", "serial", "type", "brand", "model")


def lot_fingerprint(lot_id: int) -> str:
    """The SHA-256 of every column the lot's certificate is built from, as the database holds them now."""
    digest = hashlib.sha256(FORMAT.encode())
    sources = (
        Lot.objects.filter(pk=lot_id).values_list(*LOT_COLUMNS),
        Device.objects.filter(lot_id=lot_id).order_by("pk").values_list(*DEVICE_COLUMNS),
        ErasureRecord.objects.filter(device__lot_id=lot_id).order_by("pk").values_list(*ERASURE_COLUMNS),
        LotItem.objects.filter(lot_id=lot_id).order_by("pk").values_list(*ITEM_COLUMNS),
    )
    for rows in sources:
        # Each table closed by its own mark: rows never slide from one table to the next.
        for row in rows:
            digest.update(repr(row).encode())
        digest.update(b"\x00")
    return digest.hexdigest()
