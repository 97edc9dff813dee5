"""Tax receipts for gifts in kind (cerfa 16216), valued at the net book value the donor declared (the PDF:
donations.receipt_pdf)."""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from num2words import num2words

from donations.enums import LotStatus, ReceiptReviewStatus
from donations.models import Lot, ReceiptValueApproval, ReceiptValueCap, TaxReceipt, TaxReceiptReview
from donations.transitions import RECEIPT_REVIEWS
from inventory.enums import RECEIPT_BOXES, DeviceType
from reuse import places
from reuse.accounts.models import Organisation
from reuse.bounds import whole_number
from reuse.errors import Conflict, InvalidInput


def number_in_words(n: int) -> str:
    """French words for a whole number, in the traditional spelling of the Dictionnaire de l'Académie française
    (« vingt et un », « deux cents », « quatre-vingt mille », « deux millions »): num2words writes it."""
    return num2words(n, lang="fr")


def amount_in_words(cents: int) -> str:
    """« un euro et cinquante centimes », « deux millions d'euros »: « million » and « milliard » are nouns, and
    a noun of number takes « de » before what it counts (« un million d'euros », but « un million cent euros »)."""
    euros, rest = divmod(cents, 100)
    parts = []
    if euros:
        unit = "euro" if euros == 1 else "euros"
        joiner = " d'" if euros % 1_000_000 == 0 else " "
        parts.append(f"{number_in_words(euros)}{joiner}{unit}")
    if rest or not euros:
        parts.append(f"{number_in_words(rest)} centime{'s' if rest > 1 else ''}")
    return " et ".join(parts)


# Lots that end before any device left the donor (donations.transitions: neither may follow a check-in).
ENDED_WITHOUT_GIFT = (LotStatus.CANCELLED, LotStatus.REJECTED)

# Who may cancel a receipt, in the admin (donations/admin_receipts.py) and from the shell: Coordinators.
CANCEL_PERMISSION = "donations.cancel_taxreceipt"


def declared_value_cents(lot: Lot) -> int:
    """What the donor declared for the whole manifest (received or not): shown, never put on a receipt."""
    return lot.items.aggregate(total=Coalesce(Sum("net_book_value_cents"), 0))["total"]


def caps() -> dict[str, int]:
    """{device type: cap in cents} as staff set them; a type without its own cap takes the "other" cap."""
    found = dict(ReceiptValueCap.objects.values_list("device_type", "cap_cents"))
    fallback = found.get(DeviceType.OTHER, 0)
    return {kind: found.get(kind, fallback) for kind in DeviceType.values}


def approved_values(lot: Lot) -> dict[int, int]:
    """{manifest line: value per device} that staff approved above the cap, for the lot's valid receipt: an
    approval vouches for the receipt it issued, not for the next one after a cancellation."""
    return dict(
        ReceiptValueApproval.objects.filter(receipt__lot=lot, receipt__cancelled_at__isnull=True).values_list(
            "item_id", "approved_unit_cents"
        )
    )


def valuation(lot: Lot, approved: dict[int, int] | None = None) -> dict:
    """What a receipt for this lot may say: only the devices the workshop checked in, each at the lower of
    its declared value and its type's cap, or of its declared value and the value staff approved above the cap
    for its manifest line (`approved`, {line: cents per device}; by default those of the lot's valid receipt).

    A device is matched to its manifest line by serial (a serialised line is one device); the devices without
    a line of their own take, in turn, the units of the lines without serial of their type (each unit at the
    line's value divided by its quantity, the cents left over one each to its first units). A device the manifest does not describe is counted at 0.
    """
    type_caps = caps()
    approved = approved_values(lot) if approved is None else approved
    items = list(lot.items.order_by("row_number", "pk"))
    by_serial = {item.serial.casefold(): item for item in items if item.serial}
    pools: dict[str, list[tuple[int, int]]] = {}
    for item in items:
        if not item.serial:
            # The line's value shared to the cent: the cents a division leaves go one each to its first units,
            # so that a line whose units all arrived is valued at what the donor's books say, no cent lost.
            unit, left = divmod(item.net_book_value_cents, max(item.quantity, 1))
            units = [unit + 1] * left + [unit] * (item.quantity - left)
            pools.setdefault(item.type, []).extend((cents, item.pk) for cents in units)
    devices = []
    for device in lot.devices.order_by("received_at", "pk"):
        item = by_serial.pop(device.serial.casefold(), None) if device.serial else None
        if item is not None:
            declared, line = item.net_book_value_cents // max(item.quantity, 1), item.pk
        else:
            pool = pools.get(device.type) or []
            declared, line = pool.pop(0) if pool else (0, None)
        cap = type_caps[device.type] if device.type in type_caps else type_caps[DeviceType.OTHER]
        ceiling = max(cap, approved.get(line, 0))
        devices.append(
            {
                "asset_tag": device.asset_tag,
                "serial": device.serial,
                "type": device.type,
                "item_id": line,
                "declared_cents": declared,
                "cap_cents": cap,
                "approved_cents": approved.get(line),
                "value_cents": min(declared, ceiling),
                "outlier": declared > cap,
            }
        )
    return {
        "devices": devices,
        "received": len(devices),
        "declared_cents": sum(d["declared_cents"] for d in devices),
        "value_cents": sum(d["value_cents"] for d in devices),
        "outliers": sum(1 for d in devices if d["outlier"]),
        "approved": sum(1 for d in devices if d["outlier"] and d["approved_cents"]),
    }


def receipt_status(lot: Lot) -> str:
    """'issued', 'available', 'review' (waiting for staff), 'nothing_received', 'zero_value', 'ended' (cancelled or
    refused: no gift was made, none ever will be), 'no_workshop' (not assigned yet), 'not_eligible' (the workshop may
    not issue one), 'legal_status' (its recorded legal status has no box on the cerfa) or 'too_early'."""
    if TaxReceipt.objects.valid().filter(lot=lot).exists():
        return "issued"
    if lot.status in ENDED_WITHOUT_GIFT:
        return "ended"
    if lot.workshop_id is None:
        return "no_workshop"
    profile = getattr(lot.workshop, "workshop_profile", None) if lot.workshop else None
    if profile is None or not profile.may_issue_tax_receipts:
        return "not_eligible"
    if profile.legal_status not in RECEIPT_BOXES:
        return "legal_status"
    if lot.status not in (LotStatus.RECEIVED, LotStatus.CLOSED):
        return "too_early"
    if not lot.devices.exists():
        return "nothing_received"
    if valuation(lot)["value_cents"] == 0:
        return "zero_value"
    if TaxReceiptReview.objects.filter(lot=lot, status=ReceiptReviewStatus.PENDING).exists():
        return "review"
    return "available"


def gift_date(lot: Lot):
    """The day the gift was made: the goods left the donor when the workshop collected them (or, for a lot brought
    to the workshop, when it was received there). The receipt's date is that day, not the day it is issued, in the workshop's own time (reuse.places)."""
    event = (
        lot.events.filter(to_status__in=[LotStatus.COLLECTED, LotStatus.RECEIVED])
        .order_by("created", "pk")
        .first()
    )
    return places.day_at(event.created if event else timezone.now(), lot.workshop)


@transaction.atomic
def issue_tax_receipt(*, lot: Lot, user, donor_legal_form: str) -> TaxReceipt | TaxReceiptReview:
    """The donor asks for the lot's receipt: issued at once, or kept for staff when a value looks implausible.

    Returns the receipt, or the review waiting for staff (TaxReceiptReview) when a received device was declared
    above its type's cap; `approve_review` then issues it.
    """
    lot = Lot.objects.select_for_update(of=("self",)).select_related("donor", "workshop").get(pk=lot.pk)
    existing = TaxReceipt.objects.valid().filter(lot=lot).first()
    if existing:
        return existing
    status = receipt_status(lot)
    _refuse_unless_available(status)
    if not donor_legal_form.strip():
        raise InvalidInput(_("Indiquez la forme juridique de votre organisation."))
    if status == "review":
        return TaxReceiptReview.objects.get(lot=lot)
    values = valuation(lot)
    if values["outliers"]:
        fields = {
            "donor_legal_form": donor_legal_form.strip(),
            "requested_by": user,
            "valuation": values,
            "declared_cents": values["declared_cents"],
            "valued_cents": values["value_cents"],
            "outliers": values["outliers"],
            # Asked again after a cancelled receipt: a new review, not the approval of the former one.
            "reviewed_by": None,
            "reviewed_at": None,
        }
        review = TaxReceiptReview.objects.select_for_update().filter(lot=lot).first()
        if review is None:
            return TaxReceiptReview.objects.create(lot=lot, status=ReceiptReviewStatus.PENDING, **fields)
        RECEIPT_REVIEWS.move(review, ReceiptReviewStatus.PENDING, actor=None, changes=fields)
        return review
    return _issue(lot=lot, user=user, donor_legal_form=donor_legal_form.strip(), values=values)


@transaction.atomic
def approve_review(*, review_id: int, staff, approved_items=()) -> TaxReceipt:
    """Staff looked at the values above the caps and issue the receipt: the lines they verified (`approved_items`,
    manifest lines with a device declared above its cap) count at their declared value, the others at the cap.
    Each approval is journalled (ReceiptValueApproval) with the receipt it issued."""
    review = TaxReceiptReview.objects.select_for_update().get(pk=review_id)
    lot = (
        Lot.objects.select_for_update(of=("self",)).select_related("donor", "workshop").get(pk=review.lot_id)
    )
    existing = TaxReceipt.objects.valid().filter(lot=lot).first()
    if existing:
        return existing
    if review.status != ReceiptReviewStatus.PENDING:
        raise Conflict(_("Cette demande de reçu a déjà été traitée."))
    _refuse_unless_available(receipt_status(lot))
    capped = valuation(lot, approved={})
    # What staff may vouch for: a line with a device above its cap, at the most one of its devices was declared.
    above = {}
    for device in capped["devices"]:
        if device["outlier"]:
            above[device["item_id"]] = max(above.get(device["item_id"], 0), device["declared_cents"])
    chosen = {pk for pk in map(whole_number, approved_items) if pk is not None}
    if len(chosen) != len(set(map(str, approved_items))) or not chosen <= set(above):
        raise InvalidInput(
            _("Seules les lignes déclarées au-dessus du plafond de leur type peuvent être approuvées.")
        )
    approved = {pk: above[pk] for pk in chosen}
    values = valuation(lot, approved=approved)
    receipt = _issue(lot=lot, user=staff, donor_legal_form=review.donor_legal_form, values=values)
    caps_by_line = {d["item_id"]: d["cap_cents"] for d in capped["devices"] if d["item_id"] in approved}
    ReceiptValueApproval.objects.bulk_create(
        ReceiptValueApproval(
            review=review,
            receipt=receipt,
            item_id=pk,
            declared_unit_cents=cents,
            cap_cents=caps_by_line[pk],
            approved_unit_cents=cents,
            approved_by=staff,
        )
        for pk, cents in sorted(approved.items())
    )
    RECEIPT_REVIEWS.move(
        review, ReceiptReviewStatus.APPROVED, changes={"reviewed_by": staff, "reviewed_at": timezone.now()}
    )
    return receipt


def _refuse_unless_available(status: str) -> None:
    if status == "ended":
        raise Conflict(
            _("Ce lot a été annulé ou refusé : aucun don n’a eu lieu, aucun reçu fiscal n’est émis."),
            code="lot_ended",
        )
    if status == "nothing_received":
        raise Conflict(
            _("Aucun appareil de ce lot n’a été réceptionné par l’atelier : aucun reçu fiscal n’est émis."),
            code="nothing_received",
        )
    if status == "zero_value":
        raise Conflict(
            _("La valeur nette comptable déclarée est nulle : aucun reçu fiscal n’est émis pour ce don."),
            code="zero_value",
        )
    if status == "legal_status":
        raise Conflict(
            _(
                "Le statut juridique de l’atelier ne lui permet pas d’émettre un reçu fiscal (article 238 bis du CGI)."
            ),
            code="legal_status",
        )
    if status not in ("available", "review"):
        raise Conflict(_("Aucun reçu fiscal ne peut être émis pour ce lot."), code="no_receipt")


def _issue(*, lot: Lot, user, donor_legal_form: str, values: dict) -> TaxReceipt:
    amount = values["value_cents"]
    year = places.day_at(timezone.now(), lot.workshop).year  # the workshop's year, overseas too
    # Numbers run per workshop and year: two of its lots issued at the same moment would both read the same
    # receipts and take the same number. The workshop's row, locked until the receipt is written, makes them queue.
    list(Organisation.objects.select_for_update().filter(pk=lot.workshop_id).values_list("pk", flat=True))
    # The number after the highest the workshop was given this year, cancelled receipts included (they keep
    # theirs): never one already printed, even if a row went missing, where counting the rows would repeat one.
    prefix = f"{year}-{lot.workshop_id}-"
    given = TaxReceipt.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(number.removeprefix(prefix)) for number in given), default=0)
    replaces = TaxReceipt.objects.filter(lot=lot, replaced_by__isnull=True).exclude(cancelled_at=None).last()
    workshop, donor = lot.workshop, lot.donor
    devices = values["received"]
    # The receipt is filed with the French tax administration: its wording is French whatever the interface.
    with translation.override("fr"):
        content = {
            "recipient": {
                "name": workshop.name,
                "siret": workshop.siret,
                "address": f"{workshop.address}, {workshop.postcode} {workshop.city}",
                "purpose": _(
                    "Réemploi solidaire d’équipements numériques au profit de personnes en difficulté"
                ),
                # The cerfa's box for the status staff recorded (receipt_status refused any other).
                "type": str(RECEIPT_BOXES[workshop.workshop_profile.legal_status]),
            },
            "donor": {
                "name": donor.name,
                "legal_form": donor_legal_form,
                "siren": donor.siret[:9],
                "address": f"{donor.address}, {donor.postcode} {donor.city}",
            },
            "date": gift_date(lot).isoformat(),
            "amount_cents": amount,
            "amount_words": amount_in_words(amount),
            "nature": _(
                "Don en nature : %(n)s équipement(s) informatique(s) du lot « %(title)s » réceptionné(s) par "
                "l’atelier, valorisé(s) à leur valeur nette comptable, dans la limite d’une valeur plausible "
                "par type d’appareil."
            )
            % {"n": devices, "title": lot.title}
            if not values["approved"]
            else _(
                "Don en nature : %(n)s équipement(s) informatique(s) du lot « %(title)s » réceptionné(s) par "
                "l’atelier, valorisé(s) à leur valeur nette comptable, dans la limite d’une valeur plausible "
                "par type d’appareil ou de la valeur vérifiée et approuvée par Rebond."
            )
            % {"n": devices, "title": lot.title},
            "form": _("Don en nature (mécénat en nature)"),
            "valuation": values["devices"],
        }
        if replaces is not None:
            content["replaces"] = replaces.number
    try:
        with transaction.atomic():
            return TaxReceipt.objects.create(
                lot=lot,
                number=f"{prefix}{last + 1:04d}",
                amount_cents=amount,
                donor_legal_form=donor_legal_form,
                content=content,
                issued_by=user,
                replaces=replaces,
            )
    except IntegrityError as exc:
        raise Conflict(_("Le reçu vient d’être émis : rechargez la page.")) from exc


@transaction.atomic
def cancel_tax_receipt(*, receipt_id: int, staff, reason: str) -> TaxReceipt:
    """Staff cancel a receipt found wrong, saying why: it keeps its number and stays readable as cancelled, and the
    donor may ask for the lot's receipt again (the next number, naming this one)."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Indiquez le motif de l’annulation du reçu."))
    receipt = TaxReceipt.objects.select_for_update().get(pk=receipt_id)
    if receipt.cancelled_at is not None:
        raise Conflict(_("Ce reçu est déjà annulé."), code="already_cancelled")
    receipt.cancelled_at = timezone.now()
    receipt.cancelled_by = staff
    receipt.cancel_reason = reason
    receipt.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    return receipt
