from django.core.management.base import BaseCommand, CommandError

from donations import receipts
from donations.models import TaxReceipt
from reuse.accounts.models import User
from reuse.errors import DomainError


class Command(BaseCommand):
    help = (
        "Cancel a tax receipt found wrong (legal form, valuation), in the name of a staff member and with its "
        "reason: it keeps its number, and the donor may ask for the lot's receipt again, which names it."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="the receipt's number, as printed (2026-12-0001)")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--staff", required=True, help="the email of the staff member who cancels it")

    def handle(self, *args, number: str, reason: str, staff: str, **options):
        receipt = TaxReceipt.objects.filter(number=number).first()
        if receipt is None:
            raise CommandError(f"Aucun reçu fiscal n° {number}.")
        user = User.objects.filter(email__iexact=staff, is_staff=True, is_active=True).first()
        if user is None:
            raise CommandError(f"Aucun membre de l’équipe actif avec l’adresse {staff}.")
        # The admin's « Annuler le reçu » asks the same permission.
        if not user.has_perm(receipts.CANCEL_PERMISSION):
            raise CommandError(
                f"{user.email} n’a pas le droit d’annuler un reçu fiscal ({receipts.CANCEL_PERMISSION})."
            )
        try:
            receipts.cancel_tax_receipt(receipt_id=receipt.pk, staff=user, reason=reason)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Reçu n° {number} annulé : le donateur peut demander le reçu du lot à nouveau.")
