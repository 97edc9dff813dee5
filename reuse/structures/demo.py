"""Small structures demo: a verified bakery (structure@example.org), a funder's cheque programme and a printed
batch of cheques."""

import datetime

from django.db import transaction
from django.utils import timezone

from reuse.accounts.demo import DEMO_PASSWORD, demo_organisation, demo_user
from reuse.claims.models import VoucherFunder
from reuse.structures import services
from reuse.structures.models import ChequeProgramme, StructureProfile

ORDER = 46
EMAIL = "structure@example.org"
PROGRAMME = "Chèque équipement numérique TPE (démo)"


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:

    profile = StructureProfile.objects.filter(organisation__email=EMAIL).first()
    if profile is None:
        organisation = services.register_structure(
            email=EMAIL,
            password=DEMO_PASSWORD,
            first_name="Louise",
            last_name="Moreau",
            name="Boulangerie Moreau",
            siret="35600000000048",
            address="5 rue de la République",
            postcode="93200",
            city="Saint-Denis",
            category="tpe",
            headcount=4,
            activity="Boulangerie-pâtisserie",
        )
        services.verify_structure(organisation=organisation, by=demo_user("hub@example.org"))
    funder, _created = VoucherFunder.objects.get_or_create(
        name="Région (chèques équipement, démo)",
        defaults={"organisation": demo_organisation("hub"), "contact_email": "hub@example.org"},
    )
    programme = ChequeProgramme.objects.filter(name=PROGRAMME).first()
    if programme is None:
        today = timezone.localdate()
        programme = ChequeProgramme.objects.create(
            funder=funder,
            name=PROGRAMME,
            face_value_cents=5000,
            valid_from=today - datetime.timedelta(days=30),
            valid_until=datetime.date(today.year + 1, 12, 31),
            departments=["93", "95", "75", "92", "94"],
            categories=["tpe", "self_employed", "small_association"],
            devices_per_structure=2,
        )
    batch = programme.batches.first() or services.issue_batch(
        programme=programme, count=5, by=demo_user("hub@example.org")
    )
    codes = [c.voucher.code for c in batch.cheques.select_related("voucher").order_by("voucher__code")]
    stdout.write(
        f"  petite structure {EMAIL} (vérifiée) ; chèques équipement de 50 € : {', '.join(codes[:3])}… "
        f"(carnet imprimable : /structures/carnets/{batch.pk}/)"
    )
