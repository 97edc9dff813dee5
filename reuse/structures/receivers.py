from django.dispatch import receiver

from reuse.claims.signals import voucher_redeeming
from reuse.structures.services import check_redemption


@receiver(voucher_redeeming)
def equipment_cheque_rules(sender, voucher, claim, **kwargs):

    check_redemption(voucher=voucher, claim=claim)
