"""The device lifecycle of PRODUCT.md, as one table."""

from inventory.enums import DeviceState as S

ALLOWED = {
    S.RECEIVED: {S.IN_REPAIR, S.READY, S.RECYCLED, S.PARTS},
    S.IN_REPAIR: {S.READY, S.RECYCLED, S.PARTS},
    S.READY: {S.LISTED, S.IN_REPAIR, S.RECYCLED, S.PARTS},
    S.LISTED: {S.RESERVED, S.READY, S.IN_REPAIR},
    S.RESERVED: {S.HANDED_OVER, S.LISTED},
    S.HANDED_OVER: set(),
    S.RECYCLED: set(),
    S.PARTS: set(),
}
