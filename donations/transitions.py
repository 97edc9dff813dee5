"""The lot lifecycle of PRODUCT.md, as one table."""

from django.db import transaction
from django.utils.translation import gettext as _

from donations.enums import LotStatus as S
from donations.enums import ReceiptReviewStatus
from donations.models import ImportJob, Lot, LotEvent, TaxReceiptReview
from donations.models.imports import IMPORTS  # noqa: F401 (the import jobs' lifecycle, declared beside its queryset)
from reuse.accounts.services import notify, notify_organisation
from reuse.errors import Conflict, IllegalTransition
from reuse.lifecycle import Lifecycle, Note, readable

ALLOWED = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.CANCELLED, S.DRAFT},
    S.ACCEPTED: {S.COLLECTED, S.SUBMITTED, S.CANCELLED},
    S.COLLECTED: {S.RECEIVED},
    S.RECEIVED: {S.CLOSED},
    S.CLOSED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
LOTS = Lifecycle(model=Lot, states=S, table=ALLOWED, journal=LotEvent)


@LOTS.guard(S.SUBMITTED, S.CANCELLED, S.REJECTED)
def no_devices_checked_in(lot: Lot) -> None:
    """Once the workshop has checked in devices of the lot (from « accepted » on), the lot goes on to reception:
    cancelled, or declined back to « submitted » (the donor's manifest editable again, another workshop offered
    it), it would leave those devices in a stock its reconciliation no longer matches."""
    if lot.devices.exists():
        raise IllegalTransition(
            _(
                "Des appareils de ce lot sont déjà entrés en stock à l’atelier : le lot ne peut plus être annulé "
                "ni décliné. Il se poursuit jusqu’à sa réception."
            )
        )


@LOTS.guard(S.SUBMITTED, S.ACCEPTED, S.REJECTED, S.CANCELLED)
def no_import_in_flight(lot: Lot) -> None:
    """An import writes the manifest in batches and looks at the lot's status once, before the first: submitted,
    or taken out of the states where its manifest may change (accepted, rejected, cancelled) while an import waits
    or runs, the lot would get rows after the move (a workshop accepting what it was not offered, an assignment
    sized on half a manifest). Imports are created under the lot's lock (donations.imports) and this is checked
    under the same lock, so one of the two always sees the other. An import fallen silent past the stale age no
    longer counts: it is recorded as failed here (ImportJobQuerySet.expire_stale)."""
    if import_in_flight(lot):
        raise Conflict(
            _("Un import de manifeste est en cours sur ce lot : attendez qu’il se termine, puis réessayez."),
            code="import_running",
        )


def import_in_flight(lot: Lot) -> bool:
    """Whether an import of the lot's manifest waits or runs; the stale ones are expired first. Under the lot's
    lock, as every import job is created (donations.imports.editable_lot)."""
    jobs = ImportJob.objects.filter(lot=lot)
    jobs.expire_stale()
    return jobs.in_flight().exists()


@transaction.atomic
def apply_transition(*, lot_id: int, to: str, actor, note: Note = "", changes: dict | None = None) -> Lot:
    """Move one lot to `to` under a row lock, write the history row and email the donor.

    `changes` are field values saved in the same write (the workshop, a pickup date).
    """
    lot = LOTS.lock(lot_id)
    previous = lot.status
    LOTS.move(lot, to, actor=actor, note=note, changes=changes, save_also=["updated"])
    notify_donor(lot=lot, template="lot_status", previous=previous, note=note)
    return lot


def log_note(*, lot: Lot, actor, note: Note, template: str = "lot_status") -> None:
    """A journal note on a lot that stays where it is (offered to a workshop, pickup planned), told to the donor."""
    LOTS.note(lot, actor=actor, note=note)
    notify_donor(lot=lot, template=template, note=note)


def notify_donor(*, lot: Lot, template: str, previous: str = "", note: Note = ""):
    """Email the person who declared the lot (and the lot's contact when it is someone else)."""
    context = {
        "lot": lot,
        "previous_label": S(previous).label if previous else "",
        "status_label": S(lot.status).label,
        "note": readable(note),
    }
    notify(template=template, context=context, user=lot.created_by)
    creator_email = (lot.created_by.email or "").lower()
    if lot.contact_email and lot.contact_email.lower() != creator_email:
        # The contact may have no account: the declarant who wrote the address down knows them.
        notify(
            template=template,
            context=context,
            to_email=lot.contact_email,
            language_if_unknown=lot.created_by.language,
        )


def notify_workshop(*, lot: Lot, template: str = "lot_assigned", note: str = ""):
    """Email the workshop a lot was just offered to: its administrators, and its contact address."""
    notify_organisation(
        organisation=lot.workshop,
        template=template,
        context={"lot": lot, "workshop": lot.workshop, "note": note},
    )


# A tax receipt held for staff (values above the caps) is approved once, which issues the receipt; asked again
# after that receipt was cancelled, the same review waits for staff anew.
RECEIPT_REVIEWS = Lifecycle(
    model=TaxReceiptReview,
    states=ReceiptReviewStatus,
    table={
        ReceiptReviewStatus.PENDING: {ReceiptReviewStatus.APPROVED},
        ReceiptReviewStatus.APPROVED: {ReceiptReviewStatus.PENDING},
    },
)
