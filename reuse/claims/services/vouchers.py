"""Digital vouchers: redeemed once on a priced claim (a conditional UPDATE), released when the claim lapses,
and listed per funder each month.

A voucher's code is worth money and printed on paper: wrong codes (unknown, used or expired) are counted per
person and per network address in the shared cache, and past VOUCHER_MAX_FAILURES for the person (or
VOUCHER_MAX_FAILURES_PER_ADDRESS for the network, whoever typed them) within VOUCHER_WINDOW_SECONDS every code is
refused until the window ends, so that nobody walks through a funder's codes from a claim, nor from a few
accounts.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Greatest, Least, Replace, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.models import User
from reuse.claims import payments, texts
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus
from reuse.claims.handover import count_failure
from reuse.claims.models import Claim, LedgerEntry, Voucher
from reuse.claims.services.checks import check_hold
from reuse.claims.services.notifications import confirm
from reuse.claims.signals import voucher_redeeming
from reuse.errors import Forbidden, IllegalTransition, InvalidInput, run_again_if_aborted

VOUCHER_MAX_FAILURES = 10
VOUCHER_MAX_FAILURES_PER_ADDRESS = 30
VOUCHER_WINDOW_SECONDS = 60 * 60


def _failure_counts(actor: User, address: str) -> list[tuple[str, int]]:
    """The counts a code typed by `actor` from the network `address` (reuse.accounts.auth.client_address) is
    held to, with their limits: the person's, and the network's whoever types (a few accounts on one network
    would otherwise each have their own tries)."""
    counts = [(f"voucher:failures:{actor.pk}", VOUCHER_MAX_FAILURES)]
    if address:
        counts.append((f"voucher:failures:addr:{address}", VOUCHER_MAX_FAILURES_PER_ADDRESS))
    return counts


def _wrong_code(counts: list[tuple[str, int]], error: InvalidInput) -> InvalidInput:
    count_failure(*(key for key, _limit in counts), window=VOUCHER_WINDOW_SECONDS)
    return error


def typed_voucher(typed: str) -> Voucher | None:
    """The voucher whose code was typed, as people copy a printed code on a phone: any case, spaces for its
    dashes, or no dashes at all ("eq abcd efgh", "EQABCDEFGH" for EQ-ABCD-EFGH). The exact code first (its
    index); then the code without separators, kept only when a single voucher has it."""
    code = typed.strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    bare = re.sub(r"[\W_]", "", code)
    if voucher is not None or not bare:
        return voucher
    without_dashes = Replace(Replace(Upper("code"), Value("-"), Value("")), Value(" "), Value(""))
    found = list(Voucher.objects.annotate(bare=without_dashes).filter(bare=bare)[:2])
    return found[0] if len(found) == 1 else None


def redeem_voucher(*, claim: Claim, code: str, actor: User, address: str = ""):
    if not claim.programme.vouchers_accepted:
        raise InvalidInput(_("Ce programme n’accepte pas les chèques numériques."), code="voucher_refused")
    if claim.voucher_cents:
        raise InvalidInput(_("Un chèque numérique est déjà utilisé pour cette demande."), code="voucher_used")
    counts = _failure_counts(actor, address)
    if any(cache.get(key, 0) >= limit for key, limit in counts):
        raise Forbidden(
            _(
                "Trop de codes de chèque numérique erronés : réessayez dans une heure, en recopiant le code "
                "imprimé sur le chèque, ou payez autrement."
            ),
            code="rate_limited",
        )
    voucher = typed_voucher(code)
    if voucher is None:
        raise _wrong_code(
            counts, InvalidInput(_("Code de chèque numérique inconnu."), code="voucher_invalid")
        )

    voucher_redeeming.send(sender=Voucher, voucher=voucher, claim=claim)
    if claim.price_cents <= 0:
        # Spent on a free device it would be worth nothing here and gone from the household's booklet.
        raise InvalidInput(
            _("Cet appareil est gratuit : gardez votre chèque numérique pour un appareil payant."),
            code="voucher_not_needed",
        )
    # The conditional UPDATE is the redemption: of two concurrent claims, only one sees the row unused. The amount
    # is taken from the row as it updates it, never from the face value read above, which staff may have changed
    # since on a voucher not yet used.
    redeemed = (
        Voucher.objects.usable()
        .filter(pk=voucher.pk)
        .update(
            redeemed_at=timezone.now(),
            claim=claim,
            redeemed_cents=Least(F("face_value_cents"), Value(claim.price_cents)),
        )
    )
    if not redeemed:
        raise _wrong_code(
            counts,
            InvalidInput(_("Ce chèque numérique a déjà été utilisé ou a expiré."), code="voucher_used"),
        )
    amount = Voucher.objects.values_list("redeemed_cents", flat=True).get(pk=voucher.pk)
    Claim.objects.filter(pk=claim.pk).update(voucher_cents=amount)
    claim.voucher_cents = amount
    LedgerEntry.log(claim=claim, kind=LedgerKind.VOUCHER_REDEEMED, amount_cents=amount, reference=code)


@run_again_if_aborted
@transaction.atomic
def apply_voucher(*, claim_id: int, actor, code: str, address: str = "") -> Claim:
    claim = Claim.objects.select_for_update().select_related("programme", "device").get(pk=claim_id)
    if claim.status != ClaimStatus.RESERVED:
        raise IllegalTransition(_("Cette demande n’attend plus de paiement."))
    if claim.payments.filter(status=PaymentStatus.SUCCEEDED).exists():
        raise IllegalTransition(_("Le paiement a déjà été reçu."))
    check_hold(claim)
    redeem_voucher(claim=claim, code=code, actor=actor, address=address)
    # A card payment asked before the voucher asks for more than is now due (or for nothing).
    payments.abandon_open_payments(claim)
    if claim.amount_due_cents == 0:
        confirm(claim, actor, note=texts.PAID_BY_VOUCHER())
    return claim


def release_voucher(claim: Claim):
    """The one way a voucher comes back (a claim cancelled, expired, or cancelled by a refund): it can be used
    again, and the ledger keeps both its redemption and this release, dated, which is what the funder's statements
    are made of (a month already sent never changes; the release shows as a credit in its own month)."""
    voucher = Voucher.objects.select_for_update().filter(claim=claim).first()
    if voucher is None:
        return
    Voucher.objects.filter(pk=voucher.pk).update(redeemed_at=None, claim=None, redeemed_cents=0)
    LedgerEntry.log(
        claim=claim,
        kind=LedgerKind.VOUCHER_RELEASED,
        amount_cents=-voucher.redeemed_cents,
        reference=voucher.code,
    )


@dataclass(frozen=True)
class StatementLine:
    """One line of a funder's statement: a voucher spent (positive) or given back after it was billed (a credit,
    negative)."""

    code: str
    on: datetime
    workshop: str
    amount_cents: int

    @property
    def is_credit(self) -> bool:
        return self.amount_cents < 0


def funder_statement(*, funder, year: int, month: int) -> tuple[list[StatementLine], int]:
    """A funder's vouchers that went through in a month, and the credits for those given back in it.

    Made only of dated ledger entries of claims that went through (confirmed, whether later handed over, given back
    under warranty or cancelled), so that a month once over never changes: a voucher is billed in the month its
    claim went through (its redemption, or the confirmation if that came later), and a claim cancelled afterwards
    gives a credit line in the month of the cancellation. A voucher given back under warranty stays spent (the
    household is paid back what it paid at the counter). A reservation that lapsed unpaid was never billed."""
    zone = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    # The code is the one the redemption entry recorded (releases written before they carried it have none).
    code = Subquery(
        LedgerEntry.objects.filter(claim=OuterRef("claim"), kind=LedgerKind.VOUCHER_REDEEMED).values(
            "reference"
        )[:1]
    )
    entries = (
        LedgerEntry.objects.filter(
            kind__in=[LedgerKind.VOUCHER_REDEEMED, LedgerKind.VOUCHER_RELEASED],
            claim__confirmed_at__isnull=False,
        )
        .annotate(
            code=code,
            on=Case(
                When(kind=LedgerKind.VOUCHER_REDEEMED, then=Greatest("created", "claim__confirmed_at")),
                default=F("created"),
            ),
        )
        .filter(code__in=Voucher.objects.filter(funder=funder).values("code"), on__gte=start, on__lt=end)
        .select_related("claim__device__workshop")
        .order_by("on", "pk")
    )
    rows = [
        StatementLine(
            code=entry.code,
            on=entry.on,
            workshop=entry.claim.device.workshop.name,
            amount_cents=entry.amount_cents,
        )
        for entry in entries
    ]
    return rows, sum(row.amount_cents for row in rows)
