"""Answers to what claims and accounts do: the handover receipt lists the nearest mediation places; a claim
that ends without a device gives its first-use seats back; a person's copy of their data lists their seats and
orientations, and closing their account gives their seats back."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from reuse.accounts.models import User
from reuse.accounts.signals import account_closing, personal_data_requested
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import ClaimEvent
from reuse.claims.receipts import receipt_sections
from reuse.eligibility.enums import MandateScope
from reuse.pdf import paragraph
from reuse.policy.mandates import session_allows
from reuse.tripod.models import HandoverChecklist, Orientation, SessionBooking
from reuse.tripod.services import nearest_places
from reuse.tripod.sessions import release_seats

CLAIM_ENDS_WITHOUT_DEVICE = (ClaimStatus.CANCELLED, ClaimStatus.EXPIRED)


@receiver(post_save, sender=ClaimEvent)
def seats_go_back_when_the_claim_ends(sender, instance: ClaimEvent, created, **kwargs):
    """A cancelled or expired claim brings no device to learn: its seats at first-use sessions are freed for
    other households (the claim page stops offering sessions at the same moment)."""
    if created and instance.to_status in CLAIM_ENDS_WITHOUT_DEVICE:
        release_seats(SessionBooking.objects.filter(claim_id=instance.claim_id))


@receiver(account_closing, sender=User)
def seats_go_back_when_the_account_closes(sender, user, **kwargs):
    """A closed account comes to no session: its seats are freed for other households."""
    release_seats(SessionBooking.objects.filter(household=user))
    # What was ticked at the handover stays with the claim; the counter's note may name the person.
    HandoverChecklist.objects.filter(claim__beneficiary=user).update(note="")


@receiver(personal_data_requested, sender=User)
def sessions_and_orientations(sender, user, **kwargs):
    """First-use sessions go with claims, connection offers with the decision's criteria: in a session opened with
    a printed code, each only where its mandate covers it (reuse.policy.mandates.session_allows)."""
    bookings = SessionBooking.objects.filter(household=user).select_related(
        "slot", "slot__workshop", "slot__place"
    )
    orientations = Orientation.objects.filter(household=user).select_related("offer")
    if not session_allows(user, MandateScope.CLAIMS):
        bookings = bookings.none()
    if not session_allows(user, MandateScope.ELIGIBILITY):
        orientations = orientations.none()
    return "first_use", {
        "sessions": [
            {
                "starts_at": booking.slot.starts_at.isoformat(),
                "host": booking.slot.host_name,
                "status": booking.status,
                "booked": booking.created.isoformat(),
            }
            for booking in bookings
        ],
        "connection_offers": [
            {
                "offer": orientation.offer.name,
                "subscribed": orientation.subscribed,
                "oriented": orientation.created.isoformat(),
            }
            for orientation in orientations
        ],
    }


@receiver(receipt_sections)
def nearest_places_on_receipt(sender, claim, styles, **kwargs):
    """Drawn under the household's language (reuse.claims.receipts); the places' names as published."""
    profile = getattr(claim.beneficiary, "household", None) if claim.beneficiary_id else None
    if profile is None:
        return []
    origin, places = nearest_places(profile.postcode)
    if not places:
        return []
    flowables = [
        paragraph(_("Pour apprendre à s’en servir, près de chez vous :"), styles["Heading3"]),
        paragraph(
            _("Distances à vol d’oiseau depuis le centre de la commune ou du département : approximatives."),
            styles["Normal"],
        ),
    ]
    for place, km in places:
        line = _("%(name)s — %(address)s, %(postcode)s %(commune)s (environ %(km)s km)") % {
            "name": place.name,
            "address": place.address,
            "postcode": place.postcode,
            "commune": place.commune,
            "km": f"{km:.0f}",
        }
        if place.phone:
            line += " — " + _("Tél. %(phone)s") % {"phone": place.phone}
        flowables.append(paragraph(line, styles["Normal"]))
    return flowables
