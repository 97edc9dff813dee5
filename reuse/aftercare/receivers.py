"""How after-care hooks into the lower apps without them importing it: device guards, receipt rows, follow-ups."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from donations.signals import report_sections
from inventory.enums import DeviceState
from inventory.models import Device, ErasureRecord
from inventory.transitions import guard
from reuse.accounts.models import User
from reuse.accounts.signals import account_closing, account_closure_refusals, personal_data_requested
from reuse.aftercare.enums import TicketStatus
from reuse.aftercare.impact import in_use_at_three_months, rates
from reuse.aftercare.models import FollowUp, Ticket, TicketEvent
from reuse.aftercare.services.follow_ups import follow_up_for
from reuse.aftercare.services.warranty import warranty_months, warranty_until
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, ClaimEvent
from reuse.claims.receipts import warranty_line
from reuse.claims.signals import handover_receipt_rows
from reuse.errors import IllegalTransition
from reuse.pdf import day
from reuse.policy.claims import claimant_claims


@guard(DeviceState.IN_REPAIR, DeviceState.RECYCLED, DeviceState.PARTS)
def handed_over_device_comes_back_only_for_a_ticket(device: Device) -> None:
    """A device in a household's hands comes back to the workshop only through an open warranty ticket."""
    if device.state != DeviceState.HANDED_OVER:
        return
    if not Ticket.objects.open().filter(device_id=device.pk).exists():
        raise IllegalTransition(
            _(
                "Cet appareil a été remis à un foyer : il ne revient à l’atelier que par un ticket de garantie."
            )
        )


@guard(DeviceState.HANDED_OVER)
def repaired_device_goes_back_to_its_household(device: Device) -> None:
    """In repair → handed over is the return of a repaired device under warranty, never a handover."""
    if device.state != DeviceState.IN_REPAIR:
        return
    if not Ticket.objects.filter(device_id=device.pk, status=TicketStatus.IN_REPAIR).exists():
        raise IllegalTransition(
            _("Seul un appareil réparé sous garantie est rendu ainsi ; une remise passe par le comptoir.")
        )


@guard(DeviceState.LISTED)
def returned_device_is_wiped_again(device: Device) -> None:
    """A device that came back was used by a household: its data must be erased again before it is listed."""
    back = (
        Ticket.objects.filter(device_id=device.pk, status__in=[TicketStatus.SWAPPED, TicketStatus.REFUNDED])
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    if back is None or device.state == DeviceState.RESERVED:
        return
    if not ErasureRecord.objects.filter(device_id=device.pk, verified=True, performed_at__gt=back).exists():
        raise IllegalTransition(
            _(
                "Cet appareil est revenu d’un foyer : effacez de nouveau ses supports (effacement vérifié) avant "
                "de le remettre en ligne."
            )
        )


@receiver(post_save, sender=ClaimEvent)
def follow_up_at_handover(sender, instance: ClaimEvent, created, **kwargs):
    """The follow-up (and its printed code) exists from the handover on."""
    if (
        created
        and instance.to_status == ClaimStatus.HANDED_OVER
        and instance.from_status != ClaimStatus.HANDED_OVER
    ):
        follow_up_for(instance.claim)


@receiver(handover_receipt_rows)
def warranty_and_follow_up_on_the_receipt(sender, claim, **kwargs):
    """Drawn under the household's language (reuse.claims.receipts): every label and value is in it."""
    rows = [("warranty", _("Garantie"), warranty_line(warranty_months(claim), warranty_until(claim)))]
    if claim.status in (ClaimStatus.HANDED_OVER, ClaimStatus.CONFIRMED, ClaimStatus.RESERVED):
        # No code when the household already answered for the device this one replaces.
        if claim.status == ClaimStatus.HANDED_OVER and (follow_up := follow_up_for(claim)) is not None:
            rows.append(
                (
                    "follow_up",
                    _("Questionnaire à 3 mois"),
                    _("code %(code)s, à partir du %(day)s sur /suivi/ (ou avec votre accompagnateur)")
                    % {"code": follow_up.code_display, "day": day(follow_up.due_on)},
                )
            )
        rows.append(
            (
                "problem",
                _("Un problème ?"),
                _("/garantie/ avec le n° %(number)s et votre code de remise") % {"number": claim.pk},
            )
        )
    return rows


@receiver(report_sections)
def usage_and_returns_in_reports(sender, devices, page, **kwargs):
    """The donor's lot page: in use at 3 months (totals only); impact reports: rates per type and grade."""

    claims = Claim.objects.filter(device__in=devices)
    if page == "lot":
        return [{"template": "aftercare/_in_use_section.html", **in_use_at_three_months(claims)}]
    return [{"template": "aftercare/_rates_section.html", "rows": rates(claims)}]


# A household's rights over its data (reuse.accounts.privacy): an open ticket must end first; a closed one keeps
# what the workshop did (returns and refunds count in reports), without the household's words or photo.


@receiver(account_closure_refusals, sender=User)
def ticket_under_way(sender, user, **kwargs):
    if Ticket.objects.open().filter(claim__beneficiary=user).exists():
        return _(
            "Un ticket de garantie est ouvert : attendez qu’il soit traité avant de fermer votre compte."
        )
    return None


@receiver(account_closing, sender=User)
def erase_ticket_words_and_photos(sender, user, **kwargs):
    for ticket in Ticket.objects.select_for_update().filter(claim__beneficiary=user):
        if ticket.photo:
            name, storage = ticket.photo.name, ticket.photo.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        Ticket.objects.filter(pk=ticket.pk).update(photo="", description="")
    # The workshop's words to the household may name it; each step, its author and its time stay.
    TicketEvent.objects.filter(ticket__claim__beneficiary=user).forget_words("note")


@receiver(personal_data_requested, sender=User)
def tickets_data(sender, user, **kwargs):
    tickets = Ticket.objects.filter(claim__beneficiary=user, claim__in=claimant_claims(user)).order_by("pk")
    return "warranty_tickets", [
        {
            "opened": ticket.created.isoformat(),
            "status": ticket.status,
            "description": ticket.description,
            # Each step, with the words the workshop wrote to the household.
            "steps": [
                {
                    "when": event.created.isoformat(),
                    "status": event.get_to_status_display(),
                    "note": event.shown_note,
                }
                for event in ticket.events.order_by("created", "pk")
            ],
        }
        for ticket in tickets
    ]


@receiver(personal_data_requested, sender=User)
def follow_ups_data(sender, user, **kwargs):
    """The 3-month questionnaire goes with claims (claimant_claims, as the tickets)."""
    follow_ups = FollowUp.objects.filter(claim__beneficiary=user, claim__in=claimant_claims(user)).order_by(
        "pk"
    )
    return "follow_ups", [
        {
            "claim": follow_up.claim_id,
            "due_on": follow_up.due_on.isoformat(),
            "answered_at": follow_up.answered_at.isoformat() if follow_up.answered_at else None,
            "usage": follow_up.get_usage_display(),
            "purposes": follow_up.purposes,
            "has_problem": follow_up.has_problem,
            "wants_help": follow_up.wants_help,
        }
        for follow_up in follow_ups
    ]
