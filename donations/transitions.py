"""The lot lifecycle of PRODUCT.md, as one table."""

from donations.enums import LotStatus as S

ALLOWED = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.CANCELLED, S.DRAFT},
    S.ACCEPTED: {S.COLLECTED, S.SUBMITTED, S.CANCELLED},
    S.COLLECTED: {S.RECEIVED},
    S.RECEIVED: {S.CLOSED},
    S.CLOSED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
