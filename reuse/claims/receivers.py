from django.dispatch import receiver
from django.utils.translation import gettext as _

from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from inventory.signals import devices_listed
from inventory.transitions import guard
from reuse.accounts.models import User
from reuse.accounts.services import system_user
from reuse.accounts.signals import account_closing, account_closure_refusals, personal_data_requested
from reuse.claims.enums import OPEN_CLAIM_STATUSES, ClaimStatus, WaitlistStatus
from reuse.claims.models import Claim, ClaimEvent, WaitlistEntry
from reuse.claims.services.reservations import cancel_claim
from reuse.claims.signals import card_money_given_back
from reuse.claims.tasks import offer_device_task
from reuse.claims.transitions import WAITLIST
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.journal_facts import FACT_READERS
from reuse.errors import IllegalTransition
from reuse.policy.claims import claimant_claims
from reuse.policy.mandates import session_allows


def read_claim(facts: dict) -> str:
    """A claim a referrer made on a household's behalf, as its mandate journal says it in the reader's language."""
    kind = facts.get("type", "")
    return _("Demande n° %(n)s : %(kind)s %(brand)s %(model)s") % {
        "n": facts.get("claim", ""),
        "kind": DeviceType(kind).label if kind in DeviceType.values else kind,
        "brand": facts.get("brand", ""),
        "model": facts.get("model", ""),
    }


FACT_READERS["claim"] = read_claim


@receiver(devices_listed)
def offer_new_devices_to_the_waitlist(sender, device_ids, **kwargs):
    """A device that goes online is offered to the first household waiting for one like it."""
    if not WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).exists():
        return
    for device_id in device_ids:
        offer_device_task.delay(device_id)


# The device table lets listed → reserved → listed / handed over happen because claims make these moves; the guards
# below keep them for claims alone, whatever path asks (the workshop's API client, the bench mode, the device page):
# a device is reserved exactly while a reserved or confirmed claim holds it, and handed over with its claim.


@guard(DeviceState.RESERVED)
def reserved_only_for_a_claim(device: Device) -> None:
    """Reserving is what a claim does (it is created, then reserves its device): never a device by itself."""
    if not Claim.objects.filter(device_id=device.pk, status__in=OPEN_CLAIM_STATUSES).exists():
        raise IllegalTransition(
            _("Un appareil n’est réservé que par une demande : il n’y en a aucune en cours pour celui-ci.")
        )


@guard(DeviceState.LISTED)
def back_online_only_once_its_claim_ends(device: Device) -> None:
    """A reserved device goes back online when its claim is cancelled or expires, never while the claim holds it."""
    if device.state != DeviceState.RESERVED:
        return
    if Claim.objects.filter(device_id=device.pk, status__in=OPEN_CLAIM_STATUSES).exists():
        raise IllegalTransition(
            _(
                "Cet appareil est réservé par une demande en cours : annulez la demande pour le remettre en ligne."
            )
        )


@guard(DeviceState.HANDED_OVER)
def handed_over_with_its_claim(device: Device) -> None:
    """A reserved device is handed over at the counter, with the claimant's code, in the claim's own handover."""
    if device.state != DeviceState.RESERVED:
        return
    if not Claim.objects.filter(device_id=device.pk, status=ClaimStatus.HANDED_OVER).exists():
        raise IllegalTransition(
            _("Un appareil réservé est remis au comptoir, avec le code de remise de la demande.")
        )


@receiver(card_money_given_back, sender=Claim)
def end_a_claim_whose_money_was_given_back(sender, claim, **kwargs):
    """Staff gave back in the Stripe Dashboard all a household paid by card for a confirmed claim: the household
    no longer pays for the device, so the claim ends as a cancellation does (the device back in the catalogue or
    to the next on the waitlist, a voucher back to its funder), rather than keeping it reserved for nothing."""
    cancel_claim(
        claim_id=claim.pk,
        actor=system_user(),
        reason=_("Paiement remboursé en entier depuis Stripe : la demande prend fin."),
    )


# A household's rights over its data (reuse.accounts.privacy): claims, payments and handovers are accounting
# records, kept with the anonymous account; a claim under way must end first.


@receiver(account_closure_refusals, sender=User)
def claim_under_way(sender, user, **kwargs):
    if Claim.objects.filter(beneficiary=user, status__in=OPEN_CLAIM_STATUSES).exists():
        return _(
            "Une demande d’appareil est en cours : annulez-la ou attendez sa remise avant de fermer votre compte."
        )
    return None


@receiver(account_closing, sender=User)
def leave_the_waitlist(sender, user, **kwargs):
    waiting = [WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    for entry in WaitlistEntry.objects.select_for_update().filter(beneficiary=user, status__in=waiting):
        WAITLIST.move(entry, WaitlistStatus.CANCELLED)
    WaitlistEntry.objects.filter(beneficiary=user).update(postcode="")


@receiver(account_closing, sender=User)
def forget_notes_on_claims(sender, user, **kwargs):
    """Staff's words on the person's claims may name them; each move, its author and its time stay."""
    ClaimEvent.objects.filter(claim__beneficiary=user).forget_words("note")


@receiver(personal_data_requested, sender=User)
def claims_data(sender, user, **kwargs):
    # In a session opened with a printed code, what its mandate lets it act on (claimant_claims), no more.
    claims = claimant_claims(user).filter(beneficiary=user).select_related("device", "device__workshop")
    return "claims", [
        {
            "device": f"{claim.device.brand} {claim.device.model}".strip(),
            "workshop": claim.device.workshop.name,
            "status": claim.status,
            "price_cents": claim.price_cents,
            "voucher_cents": claim.voucher_cents,
            "created": claim.created.isoformat(),
            "handed_over_at": claim.handed_over_at.isoformat() if claim.handed_over_at else None,
        }
        for claim in claims
    ]


@receiver(personal_data_requested, sender=User)
def waitlist_data(sender, user, **kwargs):
    """Waiting for a device is part of claiming one: in a session opened with a printed code, only under a
    mandate covering claims (reuse.policy.mandates.session_allows)."""
    entries = (
        WaitlistEntry.objects.filter(beneficiary=user).select_related("programme").order_by("created", "pk")
    )
    if not session_allows(user, MandateScope.CLAIMS):
        entries = entries.none()
    return "waitlist", [
        {
            "programme": entry.programme.name,
            "device_type": str(DeviceType(entry.device_type).label)
            if entry.device_type in DeviceType.values
            else entry.device_type,
            "max_price_cents": entry.max_price_cents,
            "department": entry.department,
            "postcode": entry.postcode,
            "lives_in_qpv_zrr": entry.lives_in_qpv_zrr,
            "no_computer": entry.no_computer,
            "children_at_school": entry.children_at_school,
            "status": entry.get_status_display(),
            "joined": entry.created.isoformat(),
        }
        for entry in entries
    ]
