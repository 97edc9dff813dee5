"""Approved workshops as the directory and the open data export show them."""

from django.utils.translation import gettext_lazy as _

from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation

DAYS = {
    "Mo": _("lundi"),
    "Tu": _("mardi"),
    "We": _("mercredi"),
    "Th": _("jeudi"),
    "Fr": _("vendredi"),
    "Sa": _("samedi"),
    "Su": _("dimanche"),
    "PH": _("jours fériés"),
}


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


def readable_opening_hours(value: str) -> list[str]:
    """OpenStreetMap opening_hours ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00") as French lines."""
    lines = []
    for rule in (part.strip() for part in (value or "").split(";")):
        if not rule:
            continue
        days, _sep, hours = rule.partition(" ")
        readable_days = []
        for chunk in days.split(","):
            start, dash, end = chunk.partition("-")
            if start in DAYS and (not dash or end in DAYS):
                readable_days.append(f"{DAYS[start]} – {DAYS[end]}" if dash else str(DAYS[start]))
            else:
                readable_days = []
                break
        if not readable_days:
            lines.append(rule)
            continue
        if hours.strip() == "off":
            hours = str(_("fermé"))
        lines.append(f"{', '.join(readable_days)} : {hours.replace(',', ', ').replace('-', '–')}")
    return lines


def opening_hours_of(organisation) -> list[str]:
    """The workshop's opening hours in words (empty when it has no profile or no hours)."""
    return readable_opening_hours(getattr(profile_of(organisation), "opening_hours", ""))


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
