"""Append-only records: history rows that can be written once and never edited or deleted."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Base for journals. Writes go through the typed `log_*` constructors of each subclass."""

    created = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be deleted.")


def check_transition(table: dict, current: str, target: str, labels=None) -> None:
    """Raise IllegalTransition unless `table[current]` allows `target`."""
    from django.utils.translation import gettext as _

    from reuse.errors import IllegalTransition

    if target not in table.get(current, ()):
        label = (lambda value: str(labels(value).label)) if labels else str
        raise IllegalTransition(
            _("Passage impossible de « %(from)s » à « %(to)s ».")
            % {"from": label(current), "to": label(target)}
        )
