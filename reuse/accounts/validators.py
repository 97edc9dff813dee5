"""Identifiers of French organisations, checked with their published rules."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret

from reuse.programmes.departments import department_of_postcode, is_department

POSTCODE_RE = re.compile(r"^\d{5}$")
RNA_RE = re.compile(r"^W\d{9}$")


def normalise_identifier(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_siret(value: str) -> None:
    """SIRET: 14 digits, Luhn key, with La Poste's establishments (SIREN 356000000) on their own digit-sum rule
    and its head office (35600000000048) on Luhn: python-stdnum's published rule, not a copy of it."""
    siret_number = normalise_identifier(value)
    if not re.fullmatch(r"\d{14}", siret_number):
        raise ValidationError(_("Un SIRET compte 14 chiffres."), code="siret_format")
    if not siret.is_valid(siret_number):
        raise ValidationError(
            _("Ce SIRET n’est pas valide (clé de contrôle incorrecte)."), code="siret_checksum"
        )


def validate_siren(value: str) -> None:
    if not siren.is_valid(normalise_identifier(value)):
        raise ValidationError(_("Ce SIREN n’est pas valide."), code="siren")


def validate_rna(value: str) -> None:
    """RNA numbers (répertoire national des associations) have no check digit: W followed by 9 digits."""
    if not RNA_RE.fullmatch(normalise_identifier(value)):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 chiffres (par exemple W751234567)."), code="rna"
        )


def normalise_postcode(value: str) -> str:
    """A postcode as people type it (« 97 400 », a space before or after, a non-breaking space from a copied
    address, an Arabic keyboard's digits) in its 5 ASCII digits; what is not a postcode is left for
    validate_postcode to refuse. Every write path stores this form: forms, the API, the services."""
    return "".join(ascii_digits(value or "").split())


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.fullmatch(value or ""):
        raise ValidationError(_("Un code postal compte 5 chiffres."), code="postcode")


def validate_department(value: str) -> None:
    if not is_department(value or ""):
        raise ValidationError(_("Ce code de département n’existe pas."), code="department")


def department_from_postcode(postcode: str) -> str:
    """The department code of a French postcode (Corsica and overseas included), or a ValidationError."""
    postcode = normalise_postcode(postcode)
    validate_postcode(postcode)
    department = department_of_postcode(postcode)
    if not department:
        raise ValidationError(_("Ce code postal ne correspond à aucun département."), code="postcode")
    return department


# A French number dialled from abroad: +33, or an overseas department's own code (Guadeloupe, Guyane, Martinique,
# La Réunion and Mayotte), whose 9 digits then follow a 0 as in France.
FRENCH_CALLING_CODES = ("33", "262", "590", "594", "596")
# Spaces (non-breaking ones too), dots, slashes, brackets and every hyphen or dash a word processor or a phone's
# contact card puts between the digits (U+2010–U+2015, the minus sign U+2212).
PHONE_TYPED_APART = re.compile(r"[\s.\-/()\u2010-\u2015\u2212]")
PHONE_IMPOSSIBLE = _(
    "Ce numéro de téléphone n’existe pas : tapez ses 10 chiffres, par exemple 06 12 34 56 78 ou 0692 12 34 56 ; "
    "un numéro de Saint-Pierre-et-Miquelon ou de l’étranger avec son indicatif, par exemple +508 41 23 45."
)


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits: an Arabic keyboard's « ٠٦ », a Persian one's « ۰۶ », the fullwidth
    « ０６ » and « ＋ » of an Asian input method. Only what Unicode calls a decimal digit is read as one."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def normalise_phone(value: str) -> str:
    """A phone number as people type it (« 06.12.34.56.78 », « +33 6 12 34 56 78 », « +33 (0)6… », « 0033… »),
    kept in one form: a French one as « 06 12 34 56 78 », a foreign one as « +32… » with its digits only. Empty
    stays empty; a number no one can dial is a ValidationError in French."""
    typed = PHONE_TYPED_APART.sub("", ascii_digits(value or ""))
    if not typed:
        return ""
    if typed.startswith("00"):
        typed = "+" + typed[2:]
    if typed.startswith("+"):
        digits = typed[1:]
        code = next((c for c in FRENCH_CALLING_CODES if digits.startswith(c)), None)
        if code is None:
            if re.fullmatch(r"[0-9]{8,15}", digits):
                return "+" + digits
            raise ValidationError(PHONE_IMPOSSIBLE, code="phone")
        # « +33 (0)6 … »: the 0 said in brackets is not dialled from abroad.
        national = digits[len(code) :]
        typed = national if national.startswith("0") else "0" + national
    if not re.fullmatch(r"0[1-9][0-9]{8}", typed):  # ASCII digits only: « \d » takes « ٣ » too
        raise ValidationError(PHONE_IMPOSSIBLE, code="phone")
    return " ".join(typed[i : i + 2] for i in range(0, 10, 2))


def clean_phone_attribute(instance, name: str = "phone") -> None:
    """A model's clean() for its phone number (an admin form's): kept in normalise_phone's one form, and an
    impossible number an error on that field, in French."""
    try:
        setattr(instance, name, normalise_phone(getattr(instance, name)))
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from exc
