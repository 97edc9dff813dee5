"""Donation use-cases: keyword-only, atomic, raising typed errors. Views, the API and tasks call these."""

import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from donations import tasks, texts
from donations.assignment import (  # noqa: F401 (the assignment use-cases are part of this module's interface)
    assign_lot,
    auto_assign,
    eligible_workshops,
)
from donations.enums import LotStatus
from donations.import_run import (  # noqa: F401 (the import use-cases are part of this module's interface)
    BATCH_SIZE,
    ImportBusy,
    run_import,
    write_rows,
)
from donations.imports import (  # noqa: F401 (the import use-cases are part of this module's interface)
    EDITABLE_STATUSES,
    answer_import,
    editable_lot,
    import_valid_rows,
    start_import,
)
from donations.models import Lot, LotItem
from donations.rows import validate_row
from donations.transitions import LOTS, apply_transition, log_note, notify_donor
from inventory.enums import DeviceType
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import checked_phone
from reuse.accounts.validators import department_from_postcode, normalise_postcode
from reuse.errors import Conflict, Forbidden, InvalidInput, render_rows
from reuse.lifecycle import after_commit
from reuse.money import cents_to_euros
from reuse.policy.accounts import acting_organisation, organisations_of_kind

logger = logging.getLogger(__name__)

# Which release checks apply to which device type (reference-facts: Activation Lock, FRP, MDM, BIOS).
CHECKS = {
    "activation_lock_off": gettext_lazy("Localiser / verrouillage d’activation désactivé"),
    "frp_removed": gettext_lazy("Compte Google (FRP) retiré"),
    "mdm_released": gettext_lazy("Libéré de la gestion de flotte (MDM, Apple Business Manager)"),
    "bios_password_removed": gettext_lazy("Mot de passe BIOS / firmware retiré"),
}
CHECKS_BY_TYPE = {
    DeviceType.LAPTOP: ["activation_lock_off", "mdm_released", "bios_password_removed"],
    DeviceType.DESKTOP: ["mdm_released", "bios_password_removed"],
    DeviceType.TABLET: ["activation_lock_off", "frp_removed", "mdm_released"],
    DeviceType.SMARTPHONE: ["activation_lock_off", "frp_removed", "mdm_released"],
    DeviceType.MONITOR: [],
    DeviceType.OTHER: [],
}


# --- lots ----------------------------------------------------------------------------------------------


def donor_organisation_of(user: User, chosen=None) -> Organisation:
    """The donor organisation a lot is declared for: the one chosen (`organisation_id`) by a person in several, as
    reuse.policy.accounts.acting_organisation says. A donor still under review may already prepare a lot."""
    organisation = acting_organisation(
        user, OrganisationKind.DONOR, chosen, among=organisations_of_kind(user, OrganisationKind.DONOR)
    )
    if organisation is None:
        raise Forbidden(
            _("Seul un membre d’une organisation donatrice peut déclarer un lot."), code="not_donor"
        )
    return organisation


@transaction.atomic
def create_lot(
    *,
    donor: Organisation,
    created_by: User,
    title: str,
    pickup_address: str,
    pickup_postcode: str,
    available_from: date,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    items: list[dict] | None = None,
) -> Lot:
    if donor.kind != OrganisationKind.DONOR:
        raise Forbidden(
            _("Seul un membre d’une organisation donatrice peut déclarer un lot."), code="not_donor"
        )
    try:
        department_from_postcode(pickup_postcode)
    except ValidationError as exc:
        raise InvalidInput(_("Le code postal d’enlèvement compte 5 chiffres.")) from exc
    if not title.strip():
        raise InvalidInput(_("Donnez un intitulé au lot."))
    lot = Lot.objects.create(
        donor=donor,
        created_by=created_by,
        title=title.strip(),
        pickup_address=pickup_address.strip(),
        pickup_postcode=normalise_postcode(pickup_postcode),
        available_from=available_from,
        contact_name=contact_name,
        contact_phone=checked_phone(contact_phone),
        contact_email=contact_email,
    )
    if items:
        add_items(lot=lot, items=items)
    return lot


def _text_cells(item: dict) -> dict:
    cells = {}
    for key, value in item.items():
        if value is None:
            continue
        name = "net_book_value" if key == "net_book_value_cents" else key
        if key == "net_book_value_cents":
            value = str(cents_to_euros(int(value)))  # "12.50", as the manifest's column reads it
        cells[name] = str(value).strip()
    return cells


@transaction.atomic
def add_items(*, lot: Lot, items: list[dict]) -> list[LotItem]:
    """Items typed in the form or sent to the API; validated with the manifest's rules, upserted by serial."""
    lot = editable_lot(lot.pk)
    errors, rows, serials = [], [], set()
    for index, item in enumerate(items, start=1):
        row = validate_row(index, _text_cells(item))
        serial = row.values.get("serial", "")
        if serial and serial.casefold() in serials:
            row.errors.append({"row": index, "field": "serial", "message": _("Numéro de série en double.")})
        serials.add(serial.casefold())
        errors.extend(row.errors)
        rows.append(row)
    if errors:
        raise InvalidInput(
            "; ".join(
                _("appareil %(row)s, %(field)s : %(message)s") % error
                for error in render_rows(errors[:20], texts.FIELD_LABELS)
            )
        )
    write_rows(lot, rows)
    return list(lot.items.all())


@transaction.atomic
def update_release_checklist(*, lot: Lot, answers: dict[str, dict[str, bool]], actor: User) -> int:
    """`answers` = {device type: {check: ticked}}; applied to every item of that type in the lot."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if lot.status not in (LotStatus.DRAFT, LotStatus.SUBMITTED, LotStatus.ACCEPTED):
        raise Conflict(_("La liste de libération ne se modifie plus après l’enlèvement."))
    count = 0
    for kind, checks in answers.items():
        allowed = CHECKS_BY_TYPE.get(kind, [])
        values = {name: bool(checks.get(name)) for name in allowed}
        if values:
            count += LotItem.objects.filter(lot=lot, type=kind).update(**values)
    return count


def not_released_q() -> Q:
    """Items the donor declared as still locked (a check explicitly answered 'no')."""
    query = Q(pk__in=[])
    for kind, checks in CHECKS_BY_TYPE.items():
        for name in checks:
            query |= Q(type=kind, **{name: False})
    return query


# --- lifecycle ------------------------------------------------------------------------------------


@transaction.atomic
def submit_lot(*, lot: Lot, actor: User) -> Lot:
    # Locked before anything is read: a manifest uploaded in another tab (or by the API client) at the same moment
    # is either stored before, and the move is refused while it runs (transitions.no_import_in_flight), or after.
    lot = LOTS.lock(lot.pk)
    refusal = submit_refusal(lot)
    if refusal is not None:
        raise refusal
    lot = apply_transition(lot_id=lot.pk, to=LotStatus.SUBMITTED, actor=actor)
    after_commit(lambda: _auto_assign_later(lot.pk))
    return lot


def submit_refusal(lot: Lot, *, lines: int | None = None) -> Forbidden | InvalidInput | None:
    """The refusal submitting this draft lot would meet now (submit_lot's own rule), None when it would not: the
    lot's page says it in place of the button. `lines`: its declared lines, when the caller counted them already."""
    if lot.donor.status != OrganisationStatus.APPROVED:
        return Forbidden(
            _("Votre organisation doit être vérifiée par l’équipe Rebond avant de soumettre un lot."),
            code="organisation_pending",
        )
    if not (lot.items.exists() if lines is None else lines):
        return InvalidInput(_("Ajoutez au moins un appareil (formulaire ou manifeste) avant de soumettre."))
    return None


def _auto_assign_later(lot_id):
    tasks.auto_assign.delay(lot_id)


def cancel_lot(*, lot: Lot, actor: User, note: str = "") -> Lot:
    return apply_transition(lot_id=lot.pk, to=LotStatus.CANCELLED, actor=actor, note=note)


def _check_workshop(lot: Lot, workshop: Organisation):
    if lot.workshop_id != workshop.pk:
        raise Forbidden(_("Ce lot n’est pas attribué à votre atelier."))


@transaction.atomic
def accept_lot(*, lot: Lot, workshop: Organisation, actor: User) -> Lot:
    _check_workshop(LOTS.lock(lot.pk), workshop)  # locked: a colleague may have declined it a moment ago
    note = texts.JOURNAL_ACCEPTED(name=workshop.name)
    return apply_transition(lot_id=lot.pk, to=LotStatus.ACCEPTED, actor=actor, note=note)


@transaction.atomic
def decline_lot(*, lot: Lot, workshop: Organisation, actor: User, note: str = "") -> Lot:
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    _check_workshop(lot, workshop)
    if lot.status not in (LotStatus.SUBMITTED, LotStatus.ACCEPTED):
        raise Conflict(_("Ce lot ne peut plus être décliné."))
    previous = lot.status
    text = [texts.JOURNAL_DECLINED(name=workshop.name), note]
    released = {
        "workshop": None,
        "assigned_at": None,
        "pickup_scheduled_for": None,
        "declined_by": sorted({*(lot.declined_by or []), workshop.pk}),
    }
    if previous == LotStatus.ACCEPTED:
        # An accepted lot goes back to submitted through the table, like every other move.
        LOTS.move(lot, LotStatus.SUBMITTED, actor=actor, note=text, changes=released, save_also=["updated"])
    else:
        # Offered but not accepted: the lot stays submitted; only the offer is withdrawn.
        for name, value in released.items():
            setattr(lot, name, value)
        lot.save(update_fields=[*released, "updated"])
        LOTS.note(lot, actor=actor, note=text)
    notify_donor(lot=lot, template="lot_status", previous=previous, note=text)
    after_commit(lambda: _auto_assign_later(lot.pk))
    return lot


@transaction.atomic
def schedule_pickup(*, lot: Lot, workshop: Organisation, actor: User, when: datetime, note: str = "") -> Lot:
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    _check_workshop(lot, workshop)
    if lot.status != LotStatus.ACCEPTED:
        raise Conflict(_("L’enlèvement se planifie une fois le lot accepté."))
    if when < timezone.now():
        raise InvalidInput(_("La date d’enlèvement doit être dans le futur."))
    note = note[:255]
    if lot.pickup_scheduled_for == when and lot.pickup_note == note:
        # The same pickup sent again (a second click, a reload): nothing changes, nobody is told twice.
        return lot
    lot.pickup_scheduled_for = when
    lot.pickup_note = note
    lot.save(update_fields=["pickup_scheduled_for", "pickup_note", "updated"])
    # The pickup's moment and its place: written out in the time of the donor's site, whoever reads it.
    text = [texts.JOURNAL_PICKUP(when=[when.isoformat(), lot.pickup_postcode]), note]
    log_note(lot=lot, actor=actor, note=text, template="lot_pickup")
    return lot


@transaction.atomic
def mark_collected(*, lot: Lot, workshop: Organisation, actor: User) -> Lot:
    _check_workshop(LOTS.lock(lot.pk), workshop)  # locked: declined and offered elsewhere a moment ago, maybe
    return apply_transition(
        lot_id=lot.pk, to=LotStatus.COLLECTED, actor=actor, note=texts.JOURNAL_COLLECTED()
    )


@transaction.atomic
def mark_received(*, lot: Lot, workshop: Organisation, actor: User) -> Lot:
    """Reception closes the reconciliation: its summary goes into the history."""
    lot = LOTS.lock(lot.pk)
    _check_workshop(lot, workshop)
    summary = reconcile(lot)
    note = texts.JOURNAL_RECEIVED(
        missing=len(summary["missing"]), extra=len(summary["extra"]), mismatched=len(summary["mismatched"])
    )
    return apply_transition(lot_id=lot.pk, to=LotStatus.RECEIVED, actor=actor, note=note)


def close_lot(*, lot: Lot, actor: User) -> Lot:
    return apply_transition(lot_id=lot.pk, to=LotStatus.CLOSED, actor=actor)


def _same(a: str, b: str) -> bool:
    return not a or not b or a.strip().casefold() == b.strip().casefold()


def reconcile(lot: Lot) -> dict:
    """Manifest (LotItems) against what the workshop checked in (Devices of the lot), by serial."""
    items = {
        item["serial"].casefold(): item
        for item in lot.items.exclude(serial="").values("serial", "type", "brand", "model", "row_number")
    }
    devices = {
        device["serial"].casefold(): device
        for device in lot.devices.exclude(serial="").values(
            "id", "serial", "type", "brand", "model", "asset_tag"
        )
    }
    missing = [items[key] for key in sorted(items.keys() - devices.keys())]
    extra = [devices[key] for key in sorted(devices.keys() - items.keys())]
    mismatched = []
    for key in sorted(items.keys() & devices.keys()):
        item, device = items[key], devices[key]
        fields = [name for name in ("type", "brand", "model") if not _same(item[name], device[name])]
        if fields:
            mismatched.append(
                {"serial": device["serial"], "fields": fields, "declared": item, "found": device}
            )
    unserialised_declared = lot.items.filter(serial="").aggregate(n=Coalesce(Sum("quantity"), 0))["n"]
    unserialised_found = lot.devices.filter(serial="").count()
    return {
        "matched": len(items.keys() & devices.keys()) - len(mismatched),
        "missing": missing,
        "extra": extra,
        "mismatched": mismatched,
        "unserialised_declared": unserialised_declared,
        "unserialised_found": unserialised_found,
    }
