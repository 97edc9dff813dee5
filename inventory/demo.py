"""Demo stock of the demo workshop: devices in every state, built through the same services as the pages.

(`seed_demo --devices N` adds N more in bulk through reuse.bench.data.bulk_devices.) Once donations' demo has declared and
accepted its processed lot, `seed_donated_lot` (a later step, see LATER) receives it: each serial checked in with
its erasure and outcome, then the lot collected and received.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from donations import services as lot_services
from donations.demo import LAPTOPS, PHONES, PROCESSED_TITLE
from donations.enums import LotStatus
from donations.models import Lot
from donations.transitions import apply_transition as apply_lot_transition
from inventory.enums import (
    DATA_BEARING_TYPES,
    DeviceState,
    DeviceType,
    ErasureMethod,
    LegalStatus,
    StorageMedium,
)
from inventory.models import Device, ErasureRecord, WorkshopProfile
from inventory.services.devices import link_part, price_and_list, recycle, update_device
from inventory.services.erasures import record_erasure
from inventory.services.intake import check_in
from inventory.transitions import apply_transition, price_bounds
from reuse.accounts.demo import demo_organisation, demo_user

ORDER = 20
SERIAL_PREFIX = "DEMO-"
WEEE_PARTNER = "Ecosystem (filière DEEE professionnelle)"

# brand, model, CPU, RAM (GB), storage (GB), screen (inches), operating system: each model with the system it runs.
MODELS = {
    DeviceType.LAPTOP: [
        ("Lenovo", "ThinkPad T480", "Intel Core i5-8350U", 8, 256, "14.0", "Linux Mint 22"),
        ("Dell", "Latitude 5490", "Intel Core i5-8250U", 8, 256, "14.0", "Linux Mint 22"),
        ("HP", "EliteBook 840 G5", "Intel Core i5-8250U", 16, 512, "14.0", "Windows 10 Famille"),
        ("Lenovo", "ThinkPad X270", "Intel Core i5-7300U", 8, 256, "12.5", "Linux Mint 22"),
    ],
    DeviceType.DESKTOP: [
        ("Dell", "OptiPlex 7060", "Intel Core i5-8500", 8, 256, None, "Windows 10 Famille"),
        ("HP", "EliteDesk 800 G4", "Intel Core i5-8500", 16, 512, None, "Windows 10 Famille"),
    ],
    DeviceType.SMARTPHONE: [
        ("Samsung", "Galaxy A52", "Snapdragon 720G", 6, 128, "6.5", "Android 14"),
        ("Apple", "iPhone 8", "A11 Bionic", 2, 64, "4.7", "iOS 16"),
    ],
    DeviceType.TABLET: [
        ("Apple", "iPad 7", "A10 Fusion", 3, 32, "10.2", "iPadOS 17"),
        ("Samsung", "Galaxy Tab A7", "", 3, 32, "10.4", "Android 12"),
    ],
    DeviceType.MONITOR: [
        ("Dell", "P2419H", "", None, None, "24.0", ""),
        ("Iiyama", "ProLite XU2493HS", "", None, None, "24.0", ""),
    ],
}
# state, how many, device types cycled through
PLAN = [
    (DeviceState.RECEIVED, 6, [DeviceType.LAPTOP]),
    (DeviceState.IN_REPAIR, 3, [DeviceType.LAPTOP, DeviceType.DESKTOP]),
    (DeviceState.READY, 3, [DeviceType.LAPTOP, DeviceType.SMARTPHONE, DeviceType.TABLET]),
    (
        DeviceState.LISTED,
        36,
        [
            DeviceType.LAPTOP,
            DeviceType.LAPTOP,
            DeviceType.SMARTPHONE,
            DeviceType.TABLET,
            DeviceType.DESKTOP,
            DeviceType.MONITOR,
        ],
    ),
    # Reserved and handed-over devices come from real claims (reuse.claims' and reuse.aftercare's demos) and the
    # donated lot's history: a device is reserved only by a claim, and handed over with its claim's code.
    (DeviceState.RECYCLED, 2, [DeviceType.LAPTOP, DeviceType.MONITOR]),
    (DeviceState.PARTS, 2, [DeviceType.LAPTOP]),
]
PRICES = {"A": 6000, "B": 3000, "C": 0}


def demo_workshop():
    workshop = demo_organisation("workshop")
    profile, _ = WorkshopProfile.objects.get_or_create(
        organisation=workshop,
        defaults={
            "service_departments": ["93", "95", "75", "92", "94"],
            "monthly_capacity": 400,
            "opening_hours": "Mo-Fr 09:00-17:00",
            "may_issue_tax_receipts": True,
            "legal_status": LegalStatus.ASSOCIATION_IG,
            "weee_partner": WEEE_PARTNER,
            "latitude": "48.93620",
            "longitude": "2.35750",
        },
    )
    if not profile.may_issue_tax_receipts or not profile.legal_status:
        # A profile from an earlier demo: the demo's processed lot gets its tax receipt from this workshop.
        profile.may_issue_tax_receipts = True
        profile.legal_status = profile.legal_status or LegalStatus.ASSOCIATION_IG
        profile.save(update_fields=["may_issue_tax_receipts", "legal_status"])
    return workshop


def device_specs(device_type, index):
    brand, model, cpu, ram, storage, screen, system = MODELS[device_type][index % len(MODELS[device_type])]
    return {
        "brand": brand,
        "model": model,
        "cpu": cpu,
        "ram_gb": ram,
        "storage_gb": storage,
        "storage_type": "ssd" if storage else "",
        "screen_inches": screen,
        "os": system,
        "year": 2018 + index % 3,
        "keyboard_layout": "AZERTY" if device_type in (DeviceType.LAPTOP, DeviceType.DESKTOP) else "",
        "accessories": "chargeur"
        if device_type in (DeviceType.LAPTOP, DeviceType.SMARTPHONE, DeviceType.TABLET)
        else "câble",
        "media_count": 1 if device_type in DATA_BEARING_TYPES else 0,
    }


def _erase(device, actor, *, verified=True):
    record_erasure(
        device=device,
        operator=actor,
        method=ErasureMethod.PURGE,
        tool="Blancco Drive Eraser",
        tool_version="7.9",
        media_serial=f"{device.serial}-D1",
        media_type=StorageMedium.SSD,
        verified=verified,
        performed_at=timezone.now() - timedelta(hours=1),
    )


def _price_within(device, wanted):
    bounds = price_bounds(device)
    if bounds is None:
        return wanted
    return min(max(wanted, bounds[0]), bounds[1])


def _to(device, state, actor, note="", changes=None):
    return apply_transition(device_id=device.pk, to=state, actor=actor, note=note, changes=changes)


def _build(workshop, actor, state, device_type, number):
    serial = f"{SERIAL_PREFIX}{number:04d}"
    specs = device_specs(device_type, number)
    device = check_in(workshop=workshop, actor=actor, serial=serial, type=device_type, **specs).device
    data = device.type in DATA_BEARING_TYPES
    if state == DeviceState.RECEIVED:
        return device
    if state == DeviceState.RECYCLED:
        return recycle(
            device=device,
            actor=actor,
            channel=WEEE_PARTNER,
            reference=f"BSD-2026-{number:05d}",
            note="Carte mère HS",
        )
    if state == DeviceState.PARTS:
        if data:
            _erase(device, actor)
        return _to(device, DeviceState.PARTS, actor, "Écran cassé : gardé pour pièces")
    device = _to(device, DeviceState.IN_REPAIR, actor, "Diagnostic")
    if state == DeviceState.IN_REPAIR:
        if number % 2 and data:
            _erase(device, actor, verified=False)
        return device
    if data:
        _erase(device, actor)
    grade = "ABC"[number % 3]
    update_device(device=device, actor=actor, grade=grade, battery_health=70 + number % 30 if data else None)
    device = _to(device, DeviceState.READY, actor, "Testé, nettoyé")
    if state == DeviceState.READY:
        return device
    device.refresh_from_db()
    device = price_and_list(device=device, actor=actor, price_cents=_price_within(device, PRICES[grade]))
    return device


@transaction.atomic
def seed_stock(workshop, actor):
    if Device.objects.filter(workshop=workshop, serial__startswith=SERIAL_PREFIX).exists():
        return 0
    number = 0
    built = {}
    for state, count, types in PLAN:
        for index in range(count):
            number += 1
            built.setdefault(state, []).append(
                _build(workshop, actor, state, types[index % len(types)], number)
            )
    donor, recipient = built[DeviceState.PARTS][0], built[DeviceState.LISTED][0]
    link_part(donor=donor, recipient=recipient, part="Écran 14 pouces", actor=actor)
    return number


def seed(*, stdout, devices=0):
    workshop = demo_workshop()
    actor = demo_user("atelier@example.org")
    built = seed_stock(workshop, actor)
    stdout.write(f"  {built} appareils de démonstration pour {workshop.name}")


@transaction.atomic
def seed_donated_lot(*, stdout, devices=0):
    """The workshop receives the demo's processed lot (declared and accepted by donations' demo): its serials are
    checked in with their erasures and outcomes before reception, whose note counts what the check-in found."""
    workshop = demo_organisation("workshop")
    operator = demo_user("atelier@example.org")
    lot = Lot.objects.get(donor=demo_organisation("donor"), title=PROCESSED_TITLE)
    if not Device.objects.filter(lot=lot).exists():
        _check_in_donated(lot, workshop, operator)
    lot.refresh_from_db()
    if lot.status == LotStatus.ACCEPTED:
        apply_lot_transition(lot_id=lot.pk, to=LotStatus.COLLECTED, actor=operator)
        lot.refresh_from_db()
        lot_services.mark_received(lot=lot, workshop=workshop, actor=operator)
    stdout.write(f"  {Device.objects.filter(lot=lot).count()} appareils reçus du lot « {lot.title} »")


def _check_in_donated(lot, workshop, operator):
    now = timezone.now()
    for index, (serial, model, state, grade, where) in enumerate(LAPTOPS + PHONES, start=1):
        kind = DeviceType.LAPTOP if model.startswith("Elite") else DeviceType.SMARTPHONE
        device = Device.objects.create(
            workshop=workshop,
            lot=lot,
            asset_tag=f"DON-{lot.pk:04d}-{index:03d}",
            type=kind,
            brand="HP" if kind == DeviceType.LAPTOP else "Apple",
            model=model,
            serial=serial,
            state=state,
            grade=grade,
            price_cents=0 if state == DeviceState.LISTED else None,
            outcome_department=where if state == DeviceState.HANDED_OVER else "",
            recycle_channel=where if state == DeviceState.RECYCLED else "",
            recycle_reference="BSD-2026-0042" if state == DeviceState.RECYCLED else "",
        )
        if state in (DeviceState.IN_REPAIR,):
            continue
        ErasureRecord.objects.create(
            device=device,
            method=ErasureMethod.DESTROY if state == DeviceState.RECYCLED else ErasureMethod.PURGE,
            tool="nwipe" if kind == DeviceType.LAPTOP else "Blancco Mobile",
            tool_version="0.37" if kind == DeviceType.LAPTOP else "5.2",
            media_type=StorageMedium.NVME if kind == DeviceType.LAPTOP else StorageMedium.EMMC,
            media_make="Samsung" if kind == DeviceType.LAPTOP else "Apple",
            media_model="PM981a 256 Go" if kind == DeviceType.LAPTOP else "NAND 64 Go",
            media_serial=f"S4DYNX0{index:05d}",
            operator=operator,
            performed_at=now - timedelta(days=20, hours=index),
            verified=True,
        )


# Steps run after other apps' demos (order, function): the processed lot exists once donations' demo (30) has run.
LATER = ((35, seed_donated_lot),)
