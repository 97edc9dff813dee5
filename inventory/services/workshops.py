"""A workshop joins Rebond: its registration and the départements it serves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.enums import LegalStatus
from inventory.models import WorkshopProfile
from inventory.opening_hours import validate_opening_hours
from reuse.accounts import services as accounts
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.errors import InvalidInput
from reuse.programmes import departments as territory


def parse_departments(text: str) -> list[str]:
    codes, unknown = territory.parse_departments(text)
    if unknown:
        raise InvalidInput(_("« %(dep)s » n’est pas un numéro de département.") % {"dep": unknown[0]})
    return codes


@transaction.atomic
def register_workshop(
    *,
    admin: User,
    details: accounts.OrganisationDetails,
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
        kind=OrganisationKind.WORKSHOP, details=details, admin=admin
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


@transaction.atomic
def verify_workshop(
    *, profile: WorkshopProfile, by: User, may_issue_tax_receipts: bool, legal_status: str | None = None
) -> WorkshopProfile:
    """Staff verify a workshop and, on the same page, decide whether it may issue tax receipts: only an organisation
    of general interest may (CGI art. 238 bis), and the box the workshop ticked at sign-up is its own word, shown to
    staff, never the right itself. Verified without that decision, it issues none. The legal status staff record
    (`legal_status`, else the one recorded) must be one the cerfa has a box for (inventory.enums.RECEIPT_BOXES)."""
    if legal_status is not None and legal_status not in LegalStatus.values + [""]:
        raise InvalidInput(_("Choisissez un statut juridique de la liste."))
    accounts.approve_organisation(organisation=profile.organisation, by=by)
    profile = WorkshopProfile.objects.select_for_update().get(pk=profile.pk)
    profile.may_issue_tax_receipts = may_issue_tax_receipts
    if legal_status is not None:
        profile.legal_status = legal_status
    try:
        profile.clean()  # the model's rule, which the admin's edit form holds too
    except ValidationError as exc:
        # Raised before anything is saved: the transaction rolls the approval back with it.
        raise InvalidInput(" ".join(exc.messages)) from exc
    profile.save(update_fields=["may_issue_tax_receipts", "legal_status"])
    return profile
