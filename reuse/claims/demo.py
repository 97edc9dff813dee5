"""Claims demo data: a voucher funder and a few voucher codes (printed), usable in the demo journey."""

from datetime import timedelta

from django.utils import timezone

from reuse.claims.models import Voucher, VoucherFunder
from reuse.money import format_euros

ORDER = 40
FUNDER = "Département de la Seine-Saint-Denis (Pass numérique)"
CODES = [("PASS-DEMO-2026-A", 2000), ("PASS-DEMO-2026-B", 2000), ("PASS-DEMO-2026-C", 5000)]


def seed(*, stdout, devices=0):
    from reuse.accounts.demo import demo_organisation

    funder, _created = VoucherFunder.objects.get_or_create(
        name=FUNDER, defaults={"organisation": demo_organisation("hub"), "contact_email": "hub@example.org"}
    )
    expires = timezone.localdate() + timedelta(days=365)
    for code, cents in CODES:
        Voucher.objects.get_or_create(
            code=code, defaults={"face_value_cents": cents, "funder": funder, "expires_on": expires}
        )
    stdout.write(
        "  chèques numériques de démonstration : "
        + ", ".join(f"{code} ({format_euros(cents)})" for code, cents in CODES)
        + f" ; relevé du financeur : /demandes/financeurs/{funder.pk}/releve/"
    )
