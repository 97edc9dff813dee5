"""The donations app's models, one module per subject; Django and callers find every class here."""

from donations.models.documents import (
    CertificatePdf,
    ErasureCertificate,
    ReceiptValueApproval,
    ReceiptValueCap,
    TaxReceipt,
    TaxReceiptReview,
)
from donations.models.imports import (
    ColumnChoice,
    HeaderAlias,
    ImportJob,
    OrganisationAnswer,
    TypeChoice,
    _private_storage,
)
from donations.models.lots import ITEM_BOUNDS, Lot, LotEvent, LotItem, LotQuerySet

__all__ = [
    "ITEM_BOUNDS",
    "CertificatePdf",
    "ColumnChoice",
    "ErasureCertificate",
    "HeaderAlias",
    "ImportJob",
    "Lot",
    "LotEvent",
    "LotItem",
    "LotQuerySet",
    "OrganisationAnswer",
    "ReceiptValueApproval",
    "ReceiptValueCap",
    "TaxReceipt",
    "TaxReceiptReview",
    "TypeChoice",
    # Migrations 0002 and 0004 name the manifests' storage by this path.
    "_private_storage",
]
