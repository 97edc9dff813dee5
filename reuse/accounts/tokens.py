"""API tokens (Wagtail's APIToken): which ones still open the API, and until when.

A token works while it is not revoked, is younger than API_TOKEN_TTL_DAYS and its owner is active. The API's
bearer authentication and the admin listing both read these rules, so that they cannot disagree.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import APIToken


def token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_TTL_DAYS)


def expires_at(token: APIToken) -> datetime:
    return token.created + token_lifetime()


def usable_tokens(at: datetime | None = None):
    at = at or timezone.now()
    return APIToken.objects.filter(
        revoked_at__isnull=True, created__gt=at - token_lifetime(), user__is_active=True
    )


def is_usable(token: APIToken, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return token.revoked_at is None and expires_at(token) > at and token.user.is_active
