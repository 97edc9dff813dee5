"""Approved workshops as the directory and the open data export show them."""

from django.utils.translation import gettext_lazy as _

from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation


def approved_workshops():
    return (
        Organisation.objects.approved()
        .of_kind(OrganisationKind.WORKSHOP)
        .select_related("workshop_profile")
        .order_by("department", "city", "name")
    )


def profile_of(organisation):
    return getattr(organisation, "workshop_profile", None)


def serves_department(organisation, department: str) -> bool:
    profile = profile_of(organisation)
    served = [str(code) for code in (profile.service_departments if profile else [])]
    return organisation.department == department or department in served


def workshops_in_department(department: str):
    return [workshop for workshop in approved_workshops() if serves_department(workshop, department)]


def departments_with_workshops() -> list[str]:
    codes = set()
    for workshop in approved_workshops():
        codes.add(workshop.department)
        profile = profile_of(workshop)
        codes.update(str(code) for code in (profile.service_departments if profile else []))
    return sorted(codes, key=lambda code: (len(code), code))


def services_of(organisation) -> list[str]:
    """What a visitor can come for. The directory derives it from the workshop's declared activity."""
    profile = profile_of(organisation)
    services = [
        str(_("Appareils reconditionnés à prix solidaire")),
        str(_("Collecte et effacement certifié des appareils donnés")),
    ]
    if profile and profile.may_issue_tax_receipts:
        services.append(str(_("Reçus fiscaux pour les dons en nature")))
    if profile and profile.weee_partner:
        services.append(str(_("Recyclage des appareils hors d’usage")))
    return services
