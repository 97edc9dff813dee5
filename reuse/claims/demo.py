"""Claims demo data: a voucher funder and a few voucher codes (printed), usable in the demo journey, and two
laptops the demo association has reserved (the demo workshop's reserved devices, held by real claims)."""

from datetime import timedelta

from django.utils import timezone

from inventory.enums import DeviceType
from reuse.accounts.demo import demo_organisation, demo_user
from reuse.claims.models import Claim, Voucher, VoucherFunder
from reuse.claims.services import reservations
from reuse.money import format_euros

ORDER = 40
FUNDER = "Département de la Seine-Saint-Denis (Pass numérique)"
CODES = [("PASS-DEMO-2026-A", 2000), ("PASS-DEMO-2026-B", 2000), ("PASS-DEMO-2026-C", 5000)]


def seed(*, stdout, devices=0):
    funder, _created = VoucherFunder.objects.get_or_create(
        name=FUNDER, defaults={"organisation": demo_organisation("hub"), "contact_email": "hub@example.org"}
    )
    expires = timezone.localdate() + timedelta(days=365)
    for code, cents in CODES:
        Voucher.objects.get_or_create(
            code=code, defaults={"face_value_cents": cents, "funder": funder, "expires_on": expires}
        )
    reserved = _reserve_for_the_association(
        demo_organisation("association"), demo_user("association@example.org")
    )
    if reserved:
        stdout.write(f"  {reserved} ordinateurs portables réservés par l’association de démonstration")
    stdout.write(
        "  chèques numériques de démonstration : "
        + ", ".join(f"{code} ({format_euros(cents)})" for code, cents in CODES)
        + f" ; relevé du financeur : /demandes/financeurs/{funder.pk}/releve/"
    )


def _reserve_for_the_association(association, member) -> int:
    """Two priced laptops of the demo workshop reserved by the association, through the claim service."""
    if Claim.objects.filter(organisation=association).exists():
        return 0
    laptops = list(
        reservations.association_devices(association)
        .filter(type=DeviceType.LAPTOP, price_cents__gt=0, workshop__email="atelier@example.org")
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
    if not laptops:
        return 0
    return len(reservations.create_batch_claims(actor=member, organisation=association, device_ids=laptops))
