"""Who sees which lot: the donor's members, the members of the workshop it is assigned to (while staff have it
approved: a suspended workshop has no lot to act on), and staff."""

from django.db.models import Q
from django.http import Http404

from donations.models import ImportJob, Lot
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.policy.accounts import acting_organisations, is_staff, organisations_of_kind


def visible_lots(user: User):
    if not user.is_authenticated:
        return Lot.objects.none()
    if is_staff(user):
        return Lot.objects.all()
    donors = organisations_of_kind(user, OrganisationKind.DONOR)
    workshops = acting_organisations(user, OrganisationKind.WORKSHOP)
    return Lot.objects.filter(Q(donor__in=donors) | Q(workshop__in=workshops)).distinct()


def donor_lots(user: User):
    """Lots the user may edit as a donor (never staff's: staff act through the admin)."""
    if not user.is_authenticated:
        return Lot.objects.none()
    return Lot.objects.filter(donor__in=organisations_of_kind(user, OrganisationKind.DONOR))


def workshop_lots(user: User):
    if not user.is_authenticated:
        return Lot.objects.none()
    return Lot.objects.filter(workshop__in=acting_organisations(user, OrganisationKind.WORKSHOP))


def get_lot(queryset, pk) -> Lot:
    lot = queryset.filter(pk=pk).select_related("donor", "workshop", "created_by").first()
    if lot is None:
        raise Http404
    return lot


def visible_jobs(user: User):
    """Import jobs of the lots the user may edit as a donor (the job's owners), and staff."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    if is_staff(user):
        return ImportJob.objects.all()
    return ImportJob.objects.filter(lot__in=donor_lots(user))


def can_edit_lot(user: User, lot: Lot) -> bool:
    return donor_lots(user).filter(pk=lot.pk).exists()


def workshop_of(user: User, lot: Lot):
    """The user's workshop organisation the lot is assigned to, or None."""
    if lot.workshop_id is None:
        return None
    return acting_organisations(user, OrganisationKind.WORKSHOP).filter(pk=lot.workshop_id).first()
