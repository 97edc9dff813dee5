"""After-care demo: a 12-month warranty, a tablet handed over to Nadia with an open ticket for the workshop to
triage, and a smartphone handed over to the household without email whose 3-month questionnaire is due (the
referrer fills it in with him)."""

from django.db import transaction
from django.utils import timezone

from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from reuse.accounts.demo import demo_user
from reuse.accounts.models import User
from reuse.aftercare.models import AftercareRules, FollowUp, Ticket
from reuse.aftercare.services import tickets
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility.demo import WITHOUT_EMAIL, demo_programme

ORDER = 45
TICKET_TEXT = "La batterie ne tient plus la journée et l’écran clignote parfois."


def _hand_over(*, household, actor, device_type):
    """A free listed device of the demo workshop, claimed and handed over at its counter (the real services)."""

    existing = Claim.objects.filter(
        beneficiary=household, device__type=device_type, status=ClaimStatus.HANDED_OVER
    )
    if existing.exists():
        return existing.first()
    device = (
        Device.objects.filter(
            state=DeviceState.LISTED, type=device_type, workshop__email="atelier@example.org"
        )
        .order_by("pk")
        .first()
    )
    if device is None:
        return None
    if device.price_cents:
        Device.objects.filter(pk=device.pk).update(price_cents=0)  # a gift: nothing to pay at the counter
    claim = reservations.create_claim(
        actor=actor, device_id=device.pk, beneficiary=household if actor.pk != household.pk else None
    )
    counter.hand_over(actor=demo_user("atelier@example.org"), claim_id=claim.pk, code=claim.handover_code)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:

    AftercareRules.objects.get_or_create(
        programme=demo_programme(), defaults={"warranty_months": 12, "follow_up_days": 90}
    )
    nadia = demo_user("beneficiaire@example.org")
    tablet = _hand_over(household=nadia, actor=nadia, device_type=DeviceType.TABLET)
    if tablet is not None and not Ticket.objects.filter(claim=tablet).exists():
        tickets.open_ticket(actor=nadia, claim_id=tablet.pk, description=TICKET_TEXT)
    referrer = demo_user("prescripteur@example.org")
    mamadou = User.objects.filter(
        email__isnull=True, first_name=WITHOUT_EMAIL["first_name"], last_name=WITHOUT_EMAIL["last_name"]
    ).first()
    phone = (
        _hand_over(household=mamadou, actor=referrer, device_type=DeviceType.SMARTPHONE) if mamadou else None
    )
    if phone is not None:
        # Three months have passed in the demo's story: the questionnaire is due today.
        FollowUp.objects.filter(claim=phone, answered_at__isnull=True).update(due_on=timezone.localdate())
    lines = ["  après la remise : garantie 12 mois"]
    if tablet is not None:
        lines.append(
            f"tablette remise à Nadia (reçu n° {tablet.pk}, code {tablet.handover_code_display}) avec un ticket ouvert"
        )
    if phone is not None:
        lines.append(f"questionnaire à 3 mois de {mamadou.get_full_name()} à remplir par le prescripteur")
    stdout.write(" ; ".join(lines))
