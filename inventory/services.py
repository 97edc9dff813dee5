"""Workshop use-cases: registration, check-in, specs, erasures, photos, pricing, bench, import and export.

Keyword-only, atomic, raising `reuse.errors` types with French messages. Views and the API call these.
"""

import io
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from donations.enums import LotStatus
from donations.models import Lot, LotItem
from inventory import stock_columns
from inventory.enums import DeviceState, DeviceType, ErasureMethod, Grade, StorageMedium
from inventory.models import Device, DeviceEvent, ErasureRecord, PartUse, WorkshopProfile
from inventory.opening_hours import validate_opening_hours
from inventory.transitions import apply_transition, apply_transition_batch, check_price
from reuse import bounds
from reuse.accounts import services as accounts
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.csvfiles import neutralise
from reuse.errors import Conflict, DomainError, IllegalTransition, InvalidInput, NotFound
from reuse.pdf import line
from reuse.programmes import departments as territory

# Crockford's base32 without the characters people misread on a label (0/O, 1/I/L, U).
TAG_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 6
CHECK_IN_LOT_STATUSES = (LotStatus.ACCEPTED, LotStatus.COLLECTED, LotStatus.RECEIVED)
# Manifest checklist items that, when the donor declared them not done, block reuse until fixed.
RELEASE_CHECKLIST = ("activation_lock_off", "frp_removed", "mdm_released", "bios_password_removed")
EDITABLE_FIELDS = (
    "type",
    "brand",
    "model",
    "serial",
    "year",
    "cpu",
    "ram_gb",
    "storage_type",
    "storage_gb",
    "screen_inches",
    "battery_health",
    "os",
    "keyboard_layout",
    "accessories",
    "media_count",
    "diagnostics",
    "repair_notes",
    "grade",
    "price_cents",
)
TERMINAL_STATES = (DeviceState.HANDED_OVER, DeviceState.RECYCLED, DeviceState.PARTS)
ERASABLE_STATES = (DeviceState.RECEIVED, DeviceState.IN_REPAIR, DeviceState.READY, DeviceState.PARTS)


class RowErrors(InvalidInput):
    """A file refused as a whole, with the errors of each row."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(
            _("Le fichier contient %(count)s erreur(s) : rien n’a été importé.") % {"count": len(errors)}
        )

    def extra(self) -> dict:
        return {"errors": [{**error, "message": str(error["message"])} for error in self.errors]}


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def new_asset_tag() -> str:
    return "".join(secrets.choice(TAG_ALPHABET) for _ in range(TAG_LENGTH))


def _create_device(*, actor, note: str, **fields) -> Device:
    """Insert a device under a fresh asset tag, retrying on the (rare) collision, and log its arrival."""
    for _attempt in range(8):
        try:
            with transaction.atomic():
                device = Device.objects.create(asset_tag=new_asset_tag(), **fields)
        except IntegrityError as exc:
            if "asset_tag" not in str(exc) and "inventory_device.asset_tag" not in str(exc):
                raise
            continue
        DeviceEvent.record(subject=device, actor=actor, previous="", to=DeviceState.RECEIVED, note=note)
        return device
    raise Conflict(_("Impossible d’attribuer une étiquette unique : réessayez."))


# Registration -------------------------------------------------------------------------------------------


def parse_departments(text: str) -> list[str]:
    codes, unknown = territory.parse_departments(text)
    if unknown:
        raise InvalidInput(_("« %(dep)s » n’est pas un numéro de département.") % {"dep": unknown[0]})
    return codes


@transaction.atomic
def register_workshop(
    *,
    admin: User,
    name: str,
    siret: str,
    address: str,
    postcode: str,
    city: str,
    email: str = "",
    phone: str = "",
    service_departments: list[str] | None = None,
    monthly_capacity: int = 100,
    opening_hours: str = "",
    may_issue_tax_receipts: bool = False,
    weee_partner: str = "",
) -> Organisation:
    """A workshop asks to join: a pending organisation and its profile, until staff approve it."""
    try:
        validate_opening_hours(opening_hours)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    organisation = accounts.register_organisation(
        kind=OrganisationKind.WORKSHOP,
        name=name,
        siret=siret,
        address=address,
        postcode=postcode,
        city=city,
        email=email,
        phone=phone,
        admin=admin,
    )
    departments = list(service_departments or [])
    if organisation.department not in departments:
        departments.insert(0, organisation.department)
    WorkshopProfile.objects.create(
        organisation=organisation,
        service_departments=departments,
        monthly_capacity=monthly_capacity,
        opening_hours=opening_hours,
        may_issue_tax_receipts=may_issue_tax_receipts,
        weee_partner=weee_partner,
    )
    return organisation


# Check-in -----------------------------------------------------------------------------------------------


def lots_for_check_in(workshop: Organisation):
    return Lot.objects.filter(workshop=workshop, status__in=CHECK_IN_LOT_STATUSES).order_by("-created")


def release_warnings(item: LotItem | None) -> list[str]:
    """What the donor declared as NOT released (False); shown in red at check-in."""
    if item is None:
        return []
    return [
        str(LotItem._meta.get_field(name).verbose_name)
        for name in RELEASE_CHECKLIST
        if getattr(item, name) is False
    ]


def find_lot_item(lot: Lot, code: str) -> LotItem | None:
    code = code.strip()
    item = lot.items.filter(serial__iexact=code).first()
    if item is None and code:
        item = lot.items.filter(asset_tag__iexact=code).first()
    return item


@dataclass
class CheckIn:
    device: Device
    created: bool
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def check_in(
    *,
    workshop: Organisation,
    actor: User,
    serial: str = "",
    lot: Lot | None = None,
    type: str = "",
    **specs,
) -> CheckIn:
    """Receive one device, from a lot assigned to the workshop (its manifest pre-fills the specs) or walk-in.

    Scanning the same serial twice in a lot returns the device already received instead of a duplicate.
    """
    serial = serial.strip()
    item = None
    if lot is not None:
        if lot.workshop_id != workshop.pk or lot.status not in CHECK_IN_LOT_STATUSES:
            raise NotFound(_("Ce lot n’est pas attribué à votre atelier ou n’est pas prêt à être reçu."))
        if not serial:
            raise InvalidInput(_("Scannez ou saisissez le numéro de série de l’appareil."))
        item = find_lot_item(lot, serial)
        if item is not None and item.serial:
            serial = item.serial
        existing = Device.objects.filter(lot=lot, serial=serial).first()
        if existing is not None:
            return CheckIn(existing, False, release_warnings(item))
    elif serial:
        existing = Device.objects.filter(workshop=workshop, lot__isnull=True, serial=serial).first()
        if existing is not None:
            return CheckIn(existing, False)
    values = {}
    if item is not None:
        values = {
            "type": item.type if item.type in DeviceType.values else "",
            "brand": item.brand,
            "model": item.model,
            "year": item.year,
            "cpu": item.cpu,
            "os": item.os,
            "ram_gb": item.ram_gb,
            "storage_gb": item.storage_gb,
        }
    values.update({key: value for key, value in specs.items() if value not in (None, "")})
    if type:
        values["type"] = type
    if values.get("type") not in DeviceType.values:
        raise InvalidInput(_("Choisissez le type d’appareil (le manifeste ne l’indique pas)."))
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    warnings = release_warnings(item)
    note = _("Entrée en stock depuis le lot « %(lot)s ».") % {"lot": lot.title} if lot else _("Don direct.")
    if warnings:
        note += " " + _("À lever avant réemploi : %(w)s.") % {"w": ", ".join(warnings)}
    device = _create_device(actor=actor, note=note, workshop=workshop, lot=lot, serial=serial, **values)
    return CheckIn(device, True, warnings)


# Specs, grade, price ------------------------------------------------------------------------------------


@transaction.atomic
def update_device(*, device: Device, actor: User, **changes) -> Device:
    """Save specs, diagnostics, grade and price. A listed device keeps a grade and a price within bounds."""
    device = Device.objects.select_for_update().select_related("workshop").get(pk=device.pk)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    if device.state in TERMINAL_STATES:
        raise Conflict(_("Cet appareil a quitté le stock : sa fiche n’est plus modifiable."))
    for name, value in changes.items():
        setattr(device, name, value)
    if device.type not in DeviceType.values:
        raise InvalidInput(_("Type d’appareil inconnu."))
    if device.grade and device.grade not in Grade.values:
        raise InvalidInput(_("Le grade doit être A, B ou C."))
    if device.state in (DeviceState.LISTED, DeviceState.RESERVED):
        if not device.grade or device.price_cents is None:
            raise Conflict(_("Un appareil en ligne garde un grade et un prix."))
    bounds.check(device, changes)
    try:
        check_price(device)
    except IllegalTransition as exc:
        raise InvalidInput(exc.message, code="price_out_of_bounds") from exc
    try:
        with transaction.atomic():
            device.save(update_fields=list(changes) or None)
    except IntegrityError as exc:
        if "device_serial_unique_per_lot" in str(exc) or "inventory_device.lot_id" in str(exc):
            raise Conflict(_("Un autre appareil de ce lot porte déjà ce numéro de série.")) from exc
        raise
    return device


@transaction.atomic
def price_and_list(
    *, device: Device, actor: User, price_cents: int, grade: str = "", note: str = ""
) -> Device:
    """Set the solidarity price (and grade) and put the device online, in one step that succeeds or not."""
    if price_cents is None or price_cents < 0:
        raise InvalidInput(_("Le prix est un nombre de centimes positif ou nul."))
    changes = {"price_cents": price_cents}
    if grade:
        changes["grade"] = grade
    update_device(device=device, actor=actor, **changes)
    return apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=actor, note=note)


def move(*, device: Device, actor: User, to: str, note: str = "", changes: dict | None = None) -> Device:
    if to not in DeviceState.values:
        raise InvalidInput(_("État inconnu : %(to)s") % {"to": to})
    return apply_transition(device_id=device.pk, to=to, actor=actor, note=note, changes=changes)


def recycle(*, device: Device, actor: User, channel: str, reference: str, note: str = "") -> Device:
    return apply_transition(
        device_id=device.pk,
        to=DeviceState.RECYCLED,
        actor=actor,
        note=note,
        changes={"recycle_channel": channel.strip(), "recycle_reference": reference.strip()},
    )


@transaction.atomic
def link_part(*, donor: Device, recipient: Device, part: str, actor: User) -> PartUse:
    if donor.state != DeviceState.PARTS:
        raise Conflict(_("Seul un appareil orienté « pièces détachées » peut donner des pièces."))
    if donor.pk == recipient.pk:
        raise InvalidInput(_("Un appareil ne peut pas se réparer avec ses propres pièces."))
    if donor.workshop_id != recipient.workshop_id:
        raise NotFound(_("Appareil introuvable dans votre stock."))
    if not part.strip():
        raise InvalidInput(_("Indiquez la pièce réemployée."))
    return PartUse.objects.create(donor=donor, recipient=recipient, part=part.strip(), actor=actor)


# Erasure ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_erasure(
    *,
    device: Device,
    operator: User,
    method: str,
    tool: str,
    tool_version: str,
    media_serial: str,
    verified: bool,
    media_type: str = "",
    media_make: str = "",
    media_model: str = "",
    performed_at=None,
    notes: str = "",
    passes: int | None = None,
    report=None,
) -> ErasureRecord:
    """One erasure of one medium (NIST SP 800-88). Records are never edited: a new pass adds a new record.

    `report` is the tool's original report when the record comes from an import (inventory.reports).
    """
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.state not in ERASABLE_STATES:
        raise Conflict(
            _("Un appareil « %(state)s » ne peut plus recevoir d’effacement.")
            % {"state": device.get_state_display()}
        )
    errors = []
    if method not in ErasureMethod.values:
        errors.append(_("Méthode inconnue (clear, purge ou destroy)."))
    if media_type and media_type not in StorageMedium.values:
        errors.append(_("Type de support inconnu."))
    if not tool.strip() or not tool_version.strip():
        errors.append(_("Indiquez l’outil et sa version."))
    if not media_serial.strip():
        errors.append(_("Indiquez le numéro de série du support effacé."))
    if performed_at and performed_at > timezone.now():
        errors.append(_("La date d’effacement ne peut pas être dans le futur."))
    if passes is not None and not 1 <= passes <= 100:
        errors.append(_("Le nombre de passes va de 1 à 100."))
    if errors:
        raise InvalidInput(" ".join(str(e) for e in errors))
    return ErasureRecord.objects.create(
        device=device,
        method=method,
        tool=tool.strip(),
        tool_version=tool_version.strip(),
        media_serial=media_serial.strip(),
        media_type=media_type,
        media_make=media_make.strip()[:80],
        media_model=media_model.strip()[:120],
        operator=operator,
        performed_at=performed_at or timezone.now(),
        verified=bool(verified),
        passes=passes,
        report=report,
        notes=notes,
    )


# Bench mode ---------------------------------------------------------------------------------------------

BENCH_MOVES = (DeviceState.IN_REPAIR, DeviceState.READY, DeviceState.LISTED, DeviceState.PARTS)
BENCH_CHECK_IN = "checkin"
BENCH_LABELS = "labels"
BENCH_CHUNK = 200


@dataclass
class BenchResult:
    code: str
    ok: bool
    message: str
    tag: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self):
        return {
            "code": self.code,
            "ok": self.ok,
            "message": str(self.message),
            "tag": self.tag,
            "warnings": [str(w) for w in self.warnings],
        }


def serial_candidates(code: str) -> list[str]:
    """What a scanned serial may be: the code itself, without the "S/N" a label prints before it, and without
    the "S" that Apple's packaging barcodes put in front of the serial."""
    text = "".join(code.split())
    found = [text]
    upper = text.upper()
    for prefix in ("S/N:", "S/N", "SN:", "SN"):
        if upper.startswith(prefix) and len(text) > len(prefix) + 3:
            found.append(text[len(prefix) :])
            break
    if upper.startswith("S") and 11 <= len(text) <= 13:
        found.append(text[1:])
    return found


def serials_in_stock(stock, codes: list[str]) -> dict[str, set]:
    """{serial in capitals: {(device id, asset tag)}} for the devices whose serial a scan may be (any case)."""
    from django.db.models.functions import Upper

    wanted = {candidate.upper() for code in codes for candidate in serial_candidates(code)}
    found: dict[str, set] = {}
    rows = stock.annotate(serial_upper=Upper("serial")).filter(serial_upper__in=wanted)
    for serial, pk, tag in rows.values_list("serial_upper", "pk", "asset_tag"):
        found.setdefault(serial, set()).add((pk, tag))
    return found


def split_codes(text: str) -> list[str]:
    return [code for code in text.replace(",", " ").replace(";", " ").split() if code]


def bench_apply(
    *,
    workshop: Organisation,
    actor: User,
    action: str,
    codes: list[str],
    lot: Lot | None = None,
    device_type: str = "",
) -> list[BenchResult]:
    """Apply one action to each scanned code, one after the other; a refusal never stops the batch."""
    results = []
    if action == BENCH_CHECK_IN:
        known_tags = dict(
            Device.objects.filter(
                workshop=workshop, asset_tag__in=[normalise_code(code) for code in codes]
            ).values_list("asset_tag", "pk")
        )
        for code in codes:
            if normalise_code(code) in known_tags:
                # A Rebond label scanned again at check-in: the device is already in stock.
                tag = normalise_code(code)
                results.append(
                    BenchResult(code, True, _("Déjà reçu : étiquette %(tag)s.") % {"tag": tag}, tag)
                )
                continue
            try:
                outcome = check_in(workshop=workshop, actor=actor, serial=code, lot=lot, type=device_type)
            except DomainError as exc:
                results.append(BenchResult(code, False, exc.message))
                continue
            message = (
                _("Reçu : étiquette %(tag)s.") if outcome.created else _("Déjà reçu : étiquette %(tag)s.")
            )
            results.append(
                BenchResult(
                    code,
                    True,
                    message % {"tag": outcome.device.asset_tag},
                    outcome.device.asset_tag,
                    outcome.warnings,
                )
            )
        return results
    if action != BENCH_LABELS and action not in BENCH_MOVES:
        raise InvalidInput(_("Action inconnue."))
    normalised = [normalise_code(code) for code in codes]
    stock = Device.objects.filter(workshop=workshop)
    by_tag = dict(stock.filter(asset_tag__in=normalised).values_list("asset_tag", "pk"))
    missing = [code for code in codes if normalise_code(code) not in by_tag]
    by_serial = serials_in_stock(stock, missing) if missing else {}
    resolved, ambiguous = [], set()
    for code, tag in zip(codes, normalised, strict=True):
        if tag in by_tag:
            resolved.append((code, tag, by_tag[tag]))
            continue
        matches = {
            match for candidate in serial_candidates(code) for match in by_serial.get(candidate.upper(), ())
        }
        if len(matches) > 1:
            ambiguous.add(code)
            resolved.append((code, tag, None))
        elif matches:
            pk, tag = matches.pop()
            resolved.append((code, tag, pk))
        else:
            resolved.append((code, tag, None))
    outcomes = {}
    if action != BENCH_LABELS:
        ids = list({pk for _code, _tag, pk in resolved if pk is not None})
        for start in range(0, len(ids), BENCH_CHUNK):
            # One short transaction per chunk: the same rules as one scan, without a commit per scan.
            outcomes.update(
                apply_transition_batch(
                    device_ids=ids[start : start + BENCH_CHUNK], to=action, actor=actor, note=_("Mode établi")
                )
            )
    seen = set()
    for code, tag, pk in resolved:
        if pk is None and code in ambiguous:
            results.append(
                BenchResult(
                    code,
                    False,
                    _("Plusieurs appareils portent ce numéro de série : scannez l’étiquette Rebond."),
                )
            )
        elif pk is None:
            results.append(
                BenchResult(code, False, _("Étiquette ou numéro de série inconnu dans votre stock."))
            )
        elif action == BENCH_LABELS:
            results.append(BenchResult(code, True, _("Ajouté à la planche d’étiquettes."), tag))
        elif pk in seen:
            results.append(BenchResult(code, False, _("Déjà scanné dans ce lot de scans."), tag))
        else:
            seen.add(pk)
            outcome = outcomes[pk]
            if isinstance(outcome, DomainError):
                results.append(BenchResult(code, False, outcome.message, tag))
            else:
                label = outcome.get_state_display()
                results.append(BenchResult(code, True, _("Passé à « %(state)s ».") % {"state": label}, tag))
    return results


# CSV import and export ----------------------------------------------------------------------------------


def export_rows(devices):
    """The stock as CSV rows in the reader's language: headers, types, states and prices in euros."""
    yield stock_columns.header_row()
    for device in devices.select_related("lot").iterator(chunk_size=2000):
        yield [
            neutralise("" if value is None else str(value))
            for value in (stock_columns.export_value(column, device) for column in stock_columns.COLUMNS)
        ]


# Labels -------------------------------------------------------------------------------------------------

# Sheet geometry in millimetres: columns, rows, label width/height, left/top margins, horizontal/vertical pitch.
LABEL_SHEETS = {
    "a4-3x7": {
        "name": "A4, 3 × 7 étiquettes 63,5 × 38,1 mm (type L7160)",
        "cols": 3,
        "rows": 7,
        "width": 63.5,
        "height": 38.1,
        "left": 7.2,
        "top": 15.15,
        "pitch_x": 66.0,
        "pitch_y": 38.1,
    },
    "a4-2x7": {
        "name": "A4, 2 × 7 étiquettes 99,1 × 38,1 mm (type L7163)",
        "cols": 2,
        "rows": 7,
        "width": 99.1,
        "height": 38.1,
        "left": 4.65,
        "top": 15.15,
        "pitch_x": 101.6,
        "pitch_y": 38.1,
    },
}


def device_public_url(device: Device) -> str:
    from django.urls import reverse

    return settings.PUBLIC_BASE_URL + reverse("inventory:device", args=[device.asset_tag])


def labels_pdf(devices, sheet: str = "a4-3x7") -> bytes:
    """A sheet of QR labels; each QR opens the device page (for the workshop signed in)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    if sheet not in LABEL_SHEETS:
        raise InvalidInput(_("Format de planche inconnu."))
    spec = LABEL_SHEETS[sheet]
    devices = list(devices)
    if not devices:
        raise InvalidInput(_("Aucun appareil à étiqueter."))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle("Étiquettes Rebond")
    page_height = A4[1]
    per_page = spec["cols"] * spec["rows"]
    qr_size = spec["height"] * mm - 6 * mm
    for index, device in enumerate(devices):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        col, row = slot % spec["cols"], slot // spec["cols"]
        x = spec["left"] * mm + col * spec["pitch_x"] * mm
        top = page_height - spec["top"] * mm - row * spec["pitch_y"] * mm
        widget = QrCodeWidget(device_public_url(device), barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, x + 2 * mm, top - 3 * mm - qr_size)
        text_x = x + qr_size + 4 * mm
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(text_x, top - 10 * mm, line(device.asset_tag))
        pdf.setFont("Helvetica", 7)
        pdf.drawString(text_x, top - 15 * mm, line(f"{device.brand} {device.model}", 28))
        pdf.drawString(text_x, top - 19 * mm, line(f"S/N {device.serial}", 28) if device.serial else "")
        pdf.drawString(text_x, top - 23 * mm, line(device.get_type_display(), 28))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
