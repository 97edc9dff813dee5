"""Household duplicates: a keyed fingerprint of who a person is, flags for staff, and the look-alikes a referrer
sees before creating an account."""

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.models import User
from reuse.eligibility import texts
from reuse.eligibility.models import (
    DuplicateFlag,
    HouseholdFingerprint,
)
from reuse.errors import Conflict
from reuse.names import normalise_name
from reuse.policy.eligibility import renewable_households


def fingerprint(*, first_name: str, last_name: str, birth_date, postcode: str) -> str:
    """Keyed hash of who the household is: comparable, not reversible without the key."""
    material = "|".join(
        [normalise_name(last_name), normalise_name(first_name), birth_date.isoformat(), postcode or ""]
    )
    key = getattr(settings, "HOUSEHOLD_FINGERPRINT_KEY", "") or settings.SECRET_KEY
    return hmac.new(key.encode(), b"household:" + material.encode(), hashlib.sha256).hexdigest()


def fingerprint_rows_again(rows, Fingerprint, Flag, reason) -> None:
    """A data migration's step when the folding of names changes (reuse.names): the fingerprint of each of `rows`
    (historical HouseholdFingerprint rows, their user and profile loaded) made again, and a pair it now matches
    flagged for staff with `reason`, as a new registration would be."""
    for row in rows.exclude(user__household__birth_date=None).iterator():
        user, profile = row.user, row.user.household
        row.digest = fingerprint(
            first_name=user.first_name,
            last_name=user.last_name,
            birth_date=profile.birth_date,
            postcode=profile.postcode,
        )
        row.save(update_fields=["digest"])
        for other in Fingerprint.objects.filter(digest=row.digest).exclude(pk=row.pk):
            first, second = sorted([other.user_id, user.pk])
            Flag.objects.get_or_create(first_id=first, second_id=second, defaults={"reason": reason})


@transaction.atomic
def record_fingerprint(user: User) -> list[DuplicateFlag]:
    profile = getattr(user, "household", None)
    if profile is None or profile.birth_date is None:
        return []
    digest = fingerprint(
        first_name=user.first_name,
        last_name=user.last_name,
        birth_date=profile.birth_date,
        postcode=profile.postcode,
    )
    HouseholdFingerprint.objects.update_or_create(user=user, defaults={"digest": digest})
    flags = []
    for other in HouseholdFingerprint.objects.filter(digest=digest).exclude(user=user).select_related("user"):
        first, second = sorted([other.user, user], key=lambda person: person.pk)
        try:
            with transaction.atomic():
                flag, _created = DuplicateFlag.objects.get_or_create(
                    first=first,
                    second=second,
                    defaults={"reason": texts.SAME_HOUSEHOLD()},
                )
        except IntegrityError:
            continue
        flags.append(flag)
    return flags


def followed_lookalikes(*, referrer: User, first_name: str, last_name: str, birth_date) -> list[User]:
    """Households an organisation of `referrer` follows or followed that look like the person about to be
    created: same first name, last name and birth date (the postcode may have changed since)."""
    wanted = (normalise_name(first_name), normalise_name(last_name))
    candidates = renewable_households(referrer).filter(household__birth_date=birth_date)
    return [
        user
        for user in candidates.select_related("household").order_by("pk")
        if (normalise_name(user.first_name), normalise_name(user.last_name)) == wanted
    ]


def open_duplicates():
    return DuplicateFlag.objects.filter(resolved_at__isnull=True)


@transaction.atomic
def resolve_duplicate(*, flag: DuplicateFlag, by: User) -> DuplicateFlag:
    """Staff checked the two accounts: the flag is closed now, by them (the admin's « Marquer comme traité »)."""
    flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise Conflict(_("Ce doublon possible est déjà traité."), code="duplicate_resolved")
    flag.resolved_at, flag.resolved_by = timezone.now(), by
    flag.save(update_fields=["resolved_at", "resolved_by"])
    return flag
