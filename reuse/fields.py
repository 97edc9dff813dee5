"""Field factories every app's models share, so that one kind of link is declared one way."""

from django.conf import settings
from django.db import models


def optional_link(verbose_name=None, to=settings.AUTH_USER_MODEL, *, related_name="+") -> models.ForeignKey:
    """A link that may be empty (who acted, when someone did; what a record came from, when it did): protected,
    since a record must keep what it points to."""
    return _nullable_link(to, verbose_name, models.PROTECT, related_name)


def weak_link(verbose_name, to) -> models.ForeignKey:
    """A link that does not hold what it points to: emptied when that is deleted (the page a setting names,
    a page's image, the account an email was for)."""
    return _nullable_link(to, verbose_name, models.SET_NULL, "+")


def _nullable_link(to, verbose_name, on_delete, related_name) -> models.ForeignKey:
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, null=True, blank=True, related_name=related_name
    )
