from django.dispatch import receiver

from reuse.claims.signals import voucher_redeeming


@receiver(voucher_redeeming)
def equipment_cheque_rules(sender, voucher, claim, **kwargs):
    from reuse.structures.services import check_redemption

    check_redemption(voucher=voucher, claim=claim)
