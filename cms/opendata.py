"""Approved workshops in the national schema of digital mediation places (LaMednum "standard-mediation-num").

One row per workshop; list fields are joined with "|" as the schema's CSV form requires, and the JSON export
carries exactly the same values so that both files validate against the same table schema.
"""

import re

from cms.workshops import approved_workshops, profile_of
from inventory.opening_hours import is_valid as valid_opening_hours
from reuse.csvfiles import csv_text
from reuse.tripod.opendata import upcoming_sessions

SERVICE = "Acquisition de matériel informatique à prix solidaire"
# Offered by a workshop that publishes first-use sessions.
SKILLS_SERVICE = "Maîtrise des outils numériques du quotidien"
IN_A_WORKSHOP = "Dans un atelier"
SOURCE = "Rebond"
FIELDS = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "adresse",
    "latitude",
    "longitude",
    "services",
    "horaires",
    "telephone",
    "courriels",
    "frais_a_charge",
    "source",
    "date_maj",
    "modalites_accompagnement",
    # Rebond's extension: the first-use sessions the workshop publishes (start times, ISO 8601, "|"-joined).
    "seances_prise_en_main",
]
# Devices are priced by the programmes, some at zero for eligible people.
FEES = "Gratuit sous condition|Payant"


def international_phone(value: str) -> str:
    """French numbers as the schema wants them: "01 23 45 67 89" becomes "+33123456789"."""
    digits = re.sub(r"[^\d+]", "", value or "")
    if re.fullmatch(r"0\d{9}", digits):
        return "+33" + digits[1:]
    return digits if re.fullmatch(r"\+\d{6,15}", digits) else ""


def _coordinate(value):
    return float(value) if value is not None else None


def lieu(organisation, sessions=()) -> dict:
    profile = profile_of(organisation)
    updated = organisation.approved_at or organisation.created
    return {
        "id": f"rebond-atelier-{organisation.pk}",
        "pivot": organisation.siret or organisation.rna,
        "nom": organisation.name,
        "commune": organisation.city,
        "code_postal": organisation.postcode,
        "adresse": organisation.address,
        "latitude": _coordinate(profile.latitude) if profile else None,
        "longitude": _coordinate(profile.longitude) if profile else None,
        "services": f"{SERVICE}|{SKILLS_SERVICE}" if sessions else SERVICE,
        # The schema wants OpenStreetMap opening_hours: anything else (text typed before hours were checked) is
        # left out rather than published.
        "horaires": profile.opening_hours if profile and valid_opening_hours(profile.opening_hours) else "",
        "telephone": international_phone(organisation.phone),
        "courriels": organisation.email,
        "frais_a_charge": FEES,
        "source": SOURCE,
        "date_maj": updated.date().isoformat(),
        "modalites_accompagnement": IN_A_WORKSHOP if sessions else "",
        "seances_prise_en_main": "|".join(sessions),
    }


def lieux() -> list[dict]:
    workshops = list(approved_workshops())
    sessions = upcoming_sessions([organisation.pk for organisation in workshops])
    return [lieu(organisation, sessions.get(organisation.pk, ())) for organisation in workshops]


def lieux_csv() -> str:
    """The schema's CSV (comma, no BOM); a name or an address typed as a formula is published as text."""
    rows = [FIELDS, *([row[name] for name in FIELDS] for row in lieux())]
    return csv_text(rows, delimiter=",", bom=False)
