from django.conf import settings
from django.db import models


def optional_link(verbose_name, to=settings.AUTH_USER_MODEL, *, related_name="+") -> models.ForeignKey:
    """A link to who (or what) acted, when there is one: protected, since a record must keep its author."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )
