"""The inventory's models, one module per part of the work; the classes are importable from here, as Django and
the migrations expect (`inventory.models._private_storage` is named by migrations 0003 and 0004)."""

from inventory.models.counts import StockCount, StockCountChange
from inventory.models.devices import (
    IDENTITY_FIELDS,
    Device,
    DeviceEvent,
    DevicePhoto,
    DeviceQuerySet,
    PartUse,
)
from inventory.models.erasures import (
    ErasureRecord,
    ErasureRecordQuerySet,
    ErasureReport,
    StorageMediumRecord,
    _private_storage,
)
from inventory.models.workshops import WorkshopProfile

__all__ = [
    "IDENTITY_FIELDS",
    "Device",
    "DeviceEvent",
    "DevicePhoto",
    "DeviceQuerySet",
    "ErasureRecord",
    "ErasureRecordQuerySet",
    "ErasureReport",
    "PartUse",
    "StockCount",
    "StockCountChange",
    "StorageMediumRecord",
    "WorkshopProfile",
    "_private_storage",
]
