"""Identifiers of French organisations, checked with their published rules."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share SIREN 356000000 and follow a digit-sum rule instead of Luhn.
LA_POSTE_SIREN = "356000000"
# ...except its head office, whose SIRET follows Luhn like any other (as python-stdnum's fr.siret knows).
LA_POSTE_HEAD_OFFICE = "35600000000048"
DEPARTMENT_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")
POSTCODE_RE = re.compile(r"^\d{5}$")
RNA_RE = re.compile(r"^W\d{9}$")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_identifier(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_siret(value: str) -> None:
    siret = normalise_identifier(value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError(_("Un SIRET compte 14 chiffres."), code="siret_format")
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE:
        valid = sum(int(c) for c in siret) % 5 == 0
    else:
        valid = luhn_valid(siret)
    if not valid:
        raise ValidationError(
            _("Ce SIRET n’est pas valide (clé de contrôle incorrecte)."), code="siret_checksum"
        )


def validate_siren(value: str) -> None:
    siren = normalise_identifier(value)
    if not re.fullmatch(r"\d{9}", siren) or not luhn_valid(siren):
        raise ValidationError(_("Ce SIREN n’est pas valide."), code="siren")


def validate_rna(value: str) -> None:
    """RNA numbers (répertoire national des associations) have no check digit: W followed by 9 digits."""
    if not RNA_RE.fullmatch(normalise_identifier(value)):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 chiffres (par exemple W751234567)."), code="rna"
        )


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.fullmatch(value or ""):
        raise ValidationError(_("Un code postal compte 5 chiffres."), code="postcode")


def validate_department(value: str) -> None:
    if not DEPARTMENT_RE.fullmatch(value or ""):
        raise ValidationError(_("Ce code de département n’existe pas."), code="department")


def department_from_postcode(postcode: str) -> str:
    """The department code of a French postcode (Corsica and overseas included)."""
    validate_postcode(postcode)
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        # 200xx-201xx are Corse-du-Sud, 202xx-206xx Haute-Corse.
        return "2A" if int(postcode[:3]) < 202 else "2B"
    return postcode[:2]
