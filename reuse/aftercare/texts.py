"""What a warranty ticket writes in the journals (the ticket's, its claim's, its device's) and tells the household
when the workshop wrote nothing itself: codes with parameters (reuse.errors.Text), written out in the reader's
language. What the workshop typed for the household stays its words."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from reuse.errors import Text
from reuse.money import format_euros


def _day(value: str) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y")


# The claim's journal.
OPENED = Text("journal_ticket_opened", _("Ticket de garantie n° %(ticket)s ouvert"))
OPENED_AT_FOLLOW_UP = Text(
    "journal_ticket_opened_follow_up", _("Ticket de garantie n° %(ticket)s ouvert (suivi à 3 mois)")
)
ADVISED = Text("journal_ticket_advised", _("Ticket n° %(ticket)s : conseil donné"))
TAKEN_FOR_REPAIR = Text(
    "journal_ticket_taken_for_repair", _("Ticket n° %(ticket)s : appareil repris pour réparation")
)
REPAIRED = Text("journal_ticket_repaired", _("Ticket n° %(ticket)s : réparé et rendu"))
SWAPPED = Text("journal_ticket_swapped", _("Ticket n° %(ticket)s : échangé contre la demande #%(claim)s"))
REFUNDED = Text("journal_ticket_refunded", _("Ticket n° %(ticket)s : appareil repris et remboursé"))
# The claim's and the device's.
RETURNED = Text("journal_ticket_returned", _("Rendu sous garantie, ticket n° %(ticket)s"))
# The device's.
DEVICE_IN_REPAIR = Text("journal_ticket_device_in_repair", _("Garantie, ticket n° %(ticket)s"))
DEVICE_REPAIRED = Text("journal_ticket_device_repaired", _("Rendu après réparation, ticket n° %(ticket)s"))
DEVICE_SWAP = Text("journal_ticket_device_swap", _("Échange, ticket n° %(ticket)s"))
# The ticket's, told to the household.
SAY_TAKEN_FOR_REPAIR = Text("journal_ticket_say_taken", _("L’atelier a repris l’appareil pour le réparer."))
SAY_REPAIRED = Text("journal_ticket_say_repaired", _("L’appareil est réparé et vous a été rendu."))
SAY_WARRANTY_UNTIL = Text("journal_ticket_say_warranty", _("Il est garanti jusqu’au %(day)s."), day=_day)
SAY_SWAPPED = Text(
    "journal_ticket_say_swapped",
    _(
        "Un autre appareil vous attend à l’atelier, sans rien à payer. Montrez le nouveau code de remise au comptoir."
    ),
)
SAY_REFUNDED = Text(
    "journal_ticket_say_refunded", _("Vous êtes remboursé(e) de %(amount)s."), amount=format_euros
)
SAY_NOTHING_PAID = Text(
    "journal_ticket_say_nothing_paid", _("Vous n’aviez rien payé : l’appareil est repris, sans frais.")
)
