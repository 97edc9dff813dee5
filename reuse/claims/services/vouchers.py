"""Digital vouchers: redeemed once on a priced claim (a conditional UPDATE), released when the claim lapses,
and listed per funder each month.

A voucher's code is worth money and printed on paper: wrong codes (unknown, used or expired) are counted per
person in the shared cache, and past VOUCHER_MAX_FAILURES within VOUCHER_WINDOW_SECONDS every code is refused
until the window ends, so that nobody walks through a funder's codes from a claim.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.models import User
from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus
from reuse.claims.handover import count_failure
from reuse.claims.models import Claim, LedgerEntry, Voucher
from reuse.claims.services.checks import check_hold
from reuse.claims.services.notifications import confirm
from reuse.claims.signals import voucher_redeeming
from reuse.errors import Forbidden, IllegalTransition, InvalidInput

VOUCHER_MAX_FAILURES = 10
VOUCHER_WINDOW_SECONDS = 60 * 60


def _failures_key(actor: User) -> str:
    return f"voucher:failures:{actor.pk}"


def _wrong_code(actor: User, error: InvalidInput) -> InvalidInput:
    count_failure(_failures_key(actor), window=VOUCHER_WINDOW_SECONDS)
    return error


def redeem_voucher(*, claim: Claim, code: str, actor: User):
    if not claim.programme.vouchers_accepted:
        raise InvalidInput(_("Ce programme n’accepte pas les chèques numériques."), code="voucher_refused")
    if claim.voucher_cents:
        raise InvalidInput(_("Un chèque numérique est déjà utilisé pour cette demande."), code="voucher_used")
    if cache.get(_failures_key(actor), 0) >= VOUCHER_MAX_FAILURES:
        raise Forbidden(
            _(
                "Trop de codes de chèque numérique erronés : réessayez dans une heure, en recopiant le code "
                "imprimé sur le chèque, ou payez autrement."
            ),
            code="rate_limited",
        )
    code = code.strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise _wrong_code(actor, InvalidInput(_("Code de chèque numérique inconnu."), code="voucher_invalid"))

    voucher_redeeming.send(sender=Voucher, voucher=voucher, claim=claim)
    if claim.price_cents <= 0:
        # Spent on a free device it would be worth nothing here and gone from the household's booklet.
        raise InvalidInput(
            _("Cet appareil est gratuit : gardez votre chèque numérique pour un appareil payant."),
            code="voucher_not_needed",
        )
    amount = min(voucher.face_value_cents, claim.price_cents)
    # The conditional UPDATE is the redemption: of two concurrent claims, only one sees the row unused.
    redeemed = (
        Voucher.objects.usable()
        .filter(pk=voucher.pk)
        .update(redeemed_at=timezone.now(), claim=claim, redeemed_cents=amount)
    )
    if not redeemed:
        raise _wrong_code(
            actor, InvalidInput(_("Ce chèque numérique a déjà été utilisé ou a expiré."), code="voucher_used")
        )
    Claim.objects.filter(pk=claim.pk).update(voucher_cents=amount)
    claim.voucher_cents = amount
    LedgerEntry.log(claim=claim, kind=LedgerKind.VOUCHER_REDEEMED, amount_cents=amount, reference=code)


@transaction.atomic
def apply_voucher(*, claim_id: int, actor, code: str) -> Claim:
    claim = Claim.objects.select_for_update().select_related("programme", "device").get(pk=claim_id)
    if claim.status != ClaimStatus.RESERVED:
        raise IllegalTransition(_("Cette demande n’attend plus de paiement."))
    if claim.payments.filter(status=PaymentStatus.SUCCEEDED).exists():
        raise IllegalTransition(_("Le paiement a déjà été reçu."))
    check_hold(claim)
    redeem_voucher(claim=claim, code=code, actor=actor)
    # A card payment asked before the voucher asks for more than is now due (or for nothing).
    payments.abandon_open_payments(claim)
    if claim.amount_due_cents == 0:
        confirm(claim, actor, note=_("Payé en entier par chèque numérique."))
    return claim


def release_voucher(claim: Claim):
    released = Voucher.objects.filter(claim=claim).update(redeemed_at=None, claim=None, redeemed_cents=0)
    if released:
        LedgerEntry.log(claim=claim, kind=LedgerKind.VOUCHER_RELEASED, amount_cents=-claim.voucher_cents)


def funder_statement(*, funder, year: int, month: int):
    """Vouchers of a funder redeemed in a month on claims that went through (confirmed or handed over, and those
    given back under warranty since: the household is paid back what it paid, the voucher stays spent, so a
    statement already sent does not change when the device comes back)."""
    went_through = [ClaimStatus.CONFIRMED, ClaimStatus.HANDED_OVER, ClaimStatus.RETURNED]
    vouchers = (
        Voucher.objects.filter(funder=funder, redeemed_at__year=year, redeemed_at__month=month)
        .filter(claim__status__in=went_through)
        .select_related("claim", "claim__device", "claim__device__workshop")
        .order_by("redeemed_at", "pk")
    )
    rows = list(vouchers)
    return rows, sum(v.redeemed_cents for v in rows)
