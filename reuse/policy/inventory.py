"""Who sees and changes workshop stock. A workshop only ever sees its own devices; staff see all."""

from django.http import Http404

from inventory.models import Device
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.policy.accounts import is_staff, organisations_of_kind


def workshops_of(user: User):
    """The approved workshops the user works in (pending ones cannot handle stock yet)."""
    return organisations_of_kind(user, OrganisationKind.WORKSHOP).filter(status=OrganisationStatus.APPROVED)


def is_workshop_member(user: User) -> bool:
    return workshops_of(user).exists()


def can_use_stock_pages(user: User) -> bool:
    return is_staff(user) or is_workshop_member(user)


def visible_devices(user: User):
    if not user.is_authenticated:
        return Device.objects.none()
    if is_staff(user):
        return Device.objects.all()
    return Device.objects.filter(workshop__in=workshops_of(user).values("pk"))


def get_visible_device(user: User, **lookup) -> Device:
    device = visible_devices(user).select_related("workshop", "lot").filter(**lookup).first()
    if device is None:
        raise Http404
    return device


def can_handle_device(user: User, device: Device) -> bool:
    """Moving, wiping, grading and pricing belong to the workshop's members (staff may step in)."""
    return is_staff(user) or workshops_of(user).filter(pk=device.workshop_id).exists()


def can_check_in_for(user: User, workshop: Organisation) -> bool:
    return workshops_of(user).filter(pk=workshop.pk).exists()
