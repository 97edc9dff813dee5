"""Households a referrer opens an account for, under a mandate signed at the same time, and finds again among
those it follows."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from reuse.accounts import identifiers
from reuse.accounts import services as accounts
from reuse.accounts.models import User
from reuse.eligibility.enums import (
    JournalAction,
)
from reuse.eligibility.models import (
    Mandate,
)
from reuse.eligibility.services.accreditations import acting_organisation
from reuse.eligibility.services.duplicates import normalise_name, record_fingerprint
from reuse.eligibility.services.mandates import clean_mandate, journal, record_mandate
from reuse.errors import InvalidInput, NotFound
from reuse.policy.mandates import covers_the_whole_account, gives_address


@transaction.atomic
def create_household_under_mandate(
    *,
    referrer: User,
    first_name: str,
    last_name: str,
    birth_date,
    postcode: str,
    household_size: int = 1,
    email: str | None = None,
    language: str | None = None,
    organisation_id=None,
    **terms,
) -> tuple[User, Mandate]:
    """A referrer opens the account of a person who cannot do it alone, and records their mandate.

    `terms` are the mandate's, as record_mandate takes them (scopes, months, consent_given, consent_method,
    signed_name): checked before the account exists, so that a refused mandate leaves no account behind.
    An `email` is only asked for, as give_email does: the account uses it once the person follows its link.
    """
    organisation = acting_organisation(referrer, organisation_id)
    scopes = clean_mandate(**terms)
    if email and not covers_the_whole_account(scopes):
        # Whoever gives the address can take the account (reuse.policy.mandates.gives_address).
        raise InvalidInput(
            _(
                "Une adresse e-mail ne se donne qu’avec un mandat qui couvre l’éligibilité et les demandes "
                "d’appareils : l’adresse ouvre tout le compte. Laissez-la vide, ou cochez les deux."
            ),
            code="email_needs_whole_mandate",
        )
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise InvalidInput(_("Indiquez le prénom et le nom."))
    household = accounts.create_household(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        postcode=postcode,
        household_size=household_size,
        birth_date=birth_date,
        language=language,
    )
    mandate = record_mandate(
        referrer=referrer, household=household, new_account=True, organisation=organisation, **terms
    )
    if email:
        identifiers.request_email_change(user=household, new_email=email, by=referrer)
    journal(mandate=mandate, actor=referrer, action=JournalAction.HOUSEHOLD_CREATED)
    record_fingerprint(household)
    return household, mandate


@transaction.atomic
def give_email(*, referrer: User, household: User, email: str) -> User:
    """A referrer gives an address to a household it acts for, while the account is in its care (the person never
    signed in by themselves): the confirmation link goes to the address (reuse.accounts.identifiers)."""
    if not gives_address(referrer, household):
        raise NotFound()
    return identifiers.request_email_change(user=household, new_email=email, by=referrer)


# How a birth date is typed in a search box: « 12/04/1961 », « 12.04.1961 », « 12-04-1961 », « 1961-04-12 ».
BIRTH_DATE_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d")


def _as_birth_date(word: str) -> date | None:
    for layout in BIRTH_DATE_FORMATS:
        try:
            return datetime.strptime(word, layout).date()
        except ValueError:
            continue
    return None


def matches(household: User, query: str) -> bool:
    """Whether `household` is the person a referrer typed: every word of `query` is part of their first or last
    name (accents and case aside) or is their birth date. An empty query matches everyone."""
    name = " ".join(normalise_name(part) for part in (household.first_name, household.last_name))
    profile = getattr(household, "household", None)
    for word in (query or "").split():
        day = _as_birth_date(word)
        if day is not None:
            if profile is None or profile.birth_date != day:
                return False
        elif normalise_name(word) not in name:
            return False
    return True
