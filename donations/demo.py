"""Demo lots for the demo donor, in several states; the processed one is accepted here and received by the
workshop in inventory's demo (`inventory.demo.seed_donated_lot`), which checks in each serial with its outcome."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from donations import services
from donations.enums import LotStatus
from donations.models import Lot
from donations.transitions import apply_transition
from inventory.enums import DeviceState, DeviceType, Grade
from reuse.accounts.demo import demo_organisation, demo_user

ORDER = 30

PROCESSED_TITLE = "Renouvellement 2025 — portables du siège"
LAPTOPS = [
    # serial, model, state, grade, department / channel
    ("5CD1230A01", "EliteBook 840 G7", DeviceState.HANDED_OVER, Grade.A, "93"),
    ("5CD1230A02", "EliteBook 840 G7", DeviceState.HANDED_OVER, Grade.B, "93"),
    ("5CD1230A03", "EliteBook 840 G7", DeviceState.HANDED_OVER, Grade.B, "75"),
    ("5CD1230A04", "EliteBook 840 G7", DeviceState.LISTED, Grade.A, ""),
    ("5CD1230A05", "EliteBook 840 G7", DeviceState.READY, Grade.C, ""),
    ("5CD1230A06", "EliteBook 840 G7", DeviceState.IN_REPAIR, "", ""),
    ("5CD1230A07", "EliteBook 840 G7", DeviceState.RECYCLED, "", "Ecologic"),
    ("5CD1230A08", "EliteBook 840 G7", DeviceState.PARTS, "", ""),
]
PHONES = [
    ("F2LXK0AAA1", "iPhone 11", DeviceState.HANDED_OVER, Grade.B, "93"),
    ("F2LXK0AAA2", "iPhone 11", DeviceState.HANDED_OVER, Grade.A, "94"),
]


def _lot(donor, user, title, **fields):
    lot = Lot.objects.filter(donor=donor, title=title).first()
    if lot:
        return lot, False
    items = fields.pop("items")
    lot = services.create_lot(donor=donor, created_by=user, title=title, items=items, **fields)
    return lot, True


def _move(lot, to_statuses, actor, workshop=None):
    for status in to_statuses:
        lot.refresh_from_db()
        if status == "assign":
            if lot.workshop_id is None:
                services.assign_lot(lot=lot, workshop=workshop, actor=actor)
            continue
        if status == "pickup":
            services.schedule_pickup(
                lot=lot,
                workshop=workshop,
                actor=actor,
                when=timezone.now() + timedelta(days=5),
                note="Quai B",
            )
            continue
        if status == LotStatus.SUBMITTED:
            services.submit_lot(lot=lot, actor=actor)
            continue
        apply_transition(lot_id=lot.pk, to=status, actor=actor)


def _submit_to_workshop(lot, donor_user, workshop, *, checklist: dict | None = None) -> None:
    """The donor answers the release checklist of the lot's data-bearing types (if any) and submits the lot; it
    goes to the demo workshop."""
    if checklist:
        services.update_release_checklist(lot=lot, answers=checklist, actor=donor_user)
    _move(lot, [LotStatus.SUBMITTED, "assign"], donor_user, workshop)


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:
    donor = demo_organisation("donor")
    workshop = demo_organisation("workshop")
    donor_user = demo_user("donateur@example.org")
    workshop_user = demo_user("atelier@example.org")
    hub = demo_user("hub@example.org")
    common = {
        "pickup_address": "4 avenue des Parcs",
        "pickup_postcode": "93200",
        "contact_name": "Didier Laurent",
        "contact_phone": "01 98 76 54 32",
    }

    _lot(
        donor,
        donor_user,
        "Postes du service comptable",
        available_from=date.today() + timedelta(days=20),
        items=[
            {"type": DeviceType.DESKTOP, "brand": "Dell", "model": "OptiPlex 7070", "serial": f"DLOPX70{i}"}
            for i in range(1, 5)
        ]
        + [{"type": DeviceType.MONITOR, "brand": "Dell", "model": "P2419H", "quantity": 4}],
        **common,
    )

    lot, created = _lot(
        donor,
        donor_user,
        "Smartphones de la flotte commerciale",
        available_from=date.today() + timedelta(days=10),
        items=[
            {
                "type": DeviceType.SMARTPHONE,
                "brand": "Samsung",
                "model": "Galaxy A52",
                "serial": f"R58R30ZX{i:02d}",
            }
            for i in range(1, 7)
        ],
        **common,
    )
    if created:
        checklist = {
            DeviceType.SMARTPHONE: {
                "activation_lock_off": True,
                "frp_removed": False,
                "mdm_released": True,
            }
        }
        _submit_to_workshop(lot, donor_user, workshop, checklist=checklist)

    lot, created = _lot(
        donor,
        donor_user,
        "Écrans du 3e étage",
        available_from=date.today() + timedelta(days=3),
        items=[{"type": DeviceType.MONITOR, "brand": "Iiyama", "model": "ProLite XU2493", "quantity": 12}],
        **common,
    )
    if created:
        _submit_to_workshop(lot, donor_user, workshop)
        _move(lot, [LotStatus.ACCEPTED, "pickup"], workshop_user, workshop)

    lot, created = _lot(
        donor,
        donor_user,
        PROCESSED_TITLE,
        available_from=date.today() - timedelta(days=60),
        items=[
            {
                "type": DeviceType.LAPTOP,
                "brand": "HP",
                "model": model,
                "serial": serial,
                "year": 2020,
                "ram_gb": 16,
                "storage_gb": 256,
                "net_book_value_cents": 4500,
            }
            for serial, model, *_rest in LAPTOPS
        ]
        + [
            {"type": DeviceType.SMARTPHONE, "brand": "Apple", "model": model, "serial": serial, "year": 2020}
            for serial, model, *_rest in PHONES
        ],
        **common,
    )
    if created:
        checklist = {
            DeviceType.LAPTOP: {
                "activation_lock_off": True,
                "mdm_released": True,
                "bios_password_removed": True,
            },
            DeviceType.SMARTPHONE: {
                "activation_lock_off": True,
                "frp_removed": True,
                "mdm_released": True,
            },
        }
        _submit_to_workshop(lot, donor_user, workshop, checklist=checklist)
        _move(lot, [LotStatus.ACCEPTED, "pickup"], workshop_user, workshop)
    stdout.write(
        f"  {Lot.objects.filter(donor=donor).count()} lots de démonstration pour {donor.name} ({hub.email})"
    )
