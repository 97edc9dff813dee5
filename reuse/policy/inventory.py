"""Who sees and changes workshop stock. A workshop only ever sees its own devices; staff see all."""

from django.db.models import Exists, OuterRef
from django.http import Http404

from inventory.models import Device, ErasureRecord, ErasureReport
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.policy.accounts import acting_organisation, acting_organisations, is_staff, standing


def workshops_of(user: User):
    """The approved workshops the user works in (pending ones cannot handle stock yet)."""
    return acting_organisations(user, OrganisationKind.WORKSHOP)


def acting_workshop(user: User, chosen=None) -> Organisation | None:
    """The workshop a request acts for (a file imported, a device checked in, a session published): the rule of
    reuse.policy.accounts.acting_organisation, chosen with `workshop_id` among the approved workshops."""
    return acting_organisation(user, OrganisationKind.WORKSHOP, chosen, field="workshop_id")


def workshop_ids(user: User) -> list[int]:
    """The ids of workshops_of(user), read once per request: plain ids let the stock indexes work."""
    if not user.is_authenticated:
        return []
    # Read with the person's roles in one query (reuse.policy.accounts.standing).
    return standing(user)["approved_workshops"]


def is_workshop_member(user: User) -> bool:
    return bool(workshop_ids(user))


def can_use_stock_pages(user: User) -> bool:
    return is_staff(user) or is_workshop_member(user)


def visible_devices(user: User):
    if not user.is_authenticated:
        return Device.objects.none()
    if is_staff(user):
        return Device.objects.all()
    return Device.objects.filter(workshop_id__in=workshop_ids(user))


def get_visible_device(
    user: User, *, profile: bool = False, annotations: dict | None = None, **lookup
) -> Device:
    related = ("workshop", "lot", "workshop__workshop_profile") if profile else ("workshop", "lot")
    device = (
        visible_devices(user)
        .select_related(*related)
        .annotate(**(annotations or {}))
        .filter(**lookup)
        .first()
    )
    if device is None:
        raise Http404
    return device


def can_handle_device(user: User, device: Device) -> bool:
    """Moving, wiping, grading and pricing belong to the workshop's members (staff may step in)."""
    return is_staff(user) or device.workshop_id in workshop_ids(user)


def can_check_in_for(user: User, workshop: Organisation) -> bool:
    return workshop.pk in workshop_ids(user)


def lot_erasure_reports(lot):
    """The original erasure reports a lot's readers (its donor, and its workshop and staff on the lot's page) may
    download: those whose every erasure is of a device of that lot. A station that wiped the drives of several
    lots at once writes one report naming every drive's serial: only the workshop that imported it reads that
    file (the donor keeps each medium's proof on its page and certificate)."""
    elsewhere = ErasureRecord.objects.filter(report=OuterRef("pk")).exclude(device__lot=lot)
    return ErasureReport.objects.filter(records__device__lot=lot).exclude(Exists(elsewhere)).distinct()
