"""Households a referrer opens an account for, under a mandate signed at the same time, and finds again among
those it follows."""

import re
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
from reuse.eligibility.services.duplicates import record_fingerprint
from reuse.eligibility.services.mandates import clean_mandate, journal, record_mandate
from reuse.errors import InvalidInput, NotFound
from reuse.names import normalise_name
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
    if not (last_name or "").strip():
        # A person with a single name has no first name: the name alone is asked for.
        raise InvalidInput(_("Indiquez le nom de la personne."))
    household = accounts.create_household(
        first_name=(first_name or "").strip(),
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


# A postcode as typed: « 93400 », or « 93 400 » as letters print it.
POSTCODE_TYPED = re.compile(r"\b([0-9]{2})[ \u00a0]?([0-9]{3})\b")


def search(people, query: str):
    """`people` (a User queryset of households) narrowed to the person a referrer typed, by the database: every
    word of `query` is their birth date (BIRTH_DATE_FORMATS), their postcode, or part of their first or last
    name as User.search_name holds it (accents, case, apostrophes and hyphens aside: reuse.names).
    An empty query keeps everyone. Every people search of the referrer's pages and of the API reads this."""
    for word in POSTCODE_TYPED.sub(r"\1\2", query or "").split():
        day = _as_birth_date(word)
        if day is not None:
            people = people.filter(household__birth_date=day)
        elif re.fullmatch(r"[0-9]{5}", word):
            people = people.filter(household__postcode=word)
        elif folded := normalise_name(word):
            people = people.filter(search_name__contains=folded)
    return people
