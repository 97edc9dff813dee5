"""Digital vouchers: redeemed once on a priced claim (a conditional UPDATE), released when the claim lapses,
and listed per funder each month."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus
from reuse.claims.models import Claim, LedgerEntry, Voucher
from reuse.claims.services.notifications import confirm
from reuse.claims.signals import voucher_redeeming
from reuse.errors import IllegalTransition, InvalidInput


def redeem_voucher(*, claim: Claim, code: str):
    if not claim.programme.vouchers_accepted:
        raise InvalidInput(_("Ce programme n’accepte pas les chèques numériques."), code="voucher_refused")
    if claim.voucher_cents:
        raise InvalidInput(_("Un chèque numérique est déjà utilisé pour cette demande."), code="voucher_used")
    code = code.strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise InvalidInput(_("Code de chèque numérique inconnu."), code="voucher_invalid")

    voucher_redeeming.send(sender=Voucher, voucher=voucher, claim=claim)
    amount = min(voucher.face_value_cents, claim.price_cents)
    # The conditional UPDATE is the redemption: of two concurrent claims, only one sees the row unused.
    redeemed = (
        Voucher.objects.usable()
        .filter(pk=voucher.pk)
        .update(redeemed_at=timezone.now(), claim=claim, redeemed_cents=amount)
    )
    if not redeemed:
        raise InvalidInput(_("Ce chèque numérique a déjà été utilisé ou a expiré."), code="voucher_used")
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
    redeem_voucher(claim=claim, code=code)
    if claim.amount_due_cents == 0:
        confirm(claim, actor, note=_("Payé en entier par chèque numérique."))
    return claim


def release_voucher(claim: Claim):
    released = Voucher.objects.filter(claim=claim).update(redeemed_at=None, claim=None, redeemed_cents=0)
    if released:
        LedgerEntry.log(claim=claim, kind=LedgerKind.VOUCHER_RELEASED, amount_cents=-claim.voucher_cents)


def funder_statement(*, funder, year: int, month: int):
    """Vouchers of a funder redeemed in a month on claims that went through (confirmed or handed over)."""
    vouchers = (
        Voucher.objects.filter(funder=funder, redeemed_at__year=year, redeemed_at__month=month)
        .filter(claim__status__in=[ClaimStatus.CONFIRMED, ClaimStatus.HANDED_OVER])
        .select_related("claim", "claim__device", "claim__device__workshop")
        .order_by("redeemed_at", "pk")
    )
    rows = list(vouchers)
    return rows, sum(v.redeemed_cents for v in rows)
