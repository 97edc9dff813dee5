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

    def forget_words(self, *fields: str) -> int:
        """The one change a journal allows: the free text of its rows emptied when the person they are about
        closes their account (RGPD art. 17), since staff's notes may name them. Who moved what, when, stays."""
        for name in fields:
            field = self.model._meta.get_field(name)
            if not isinstance(field, models.TextField | models.CharField) or field.choices:
                raise AppendOnlyError(f"{self.model.__name__}.{name} is not free text: it stays.")
        return super().update(**{name: "" for name in fields})


class WrittenOnce:
    """Mixed into a model (before models.Model) whose rows are written once and kept: evidence such as an
    erasure record, as well as journals. Give it `AppendOnlyQuerySet` as its manager for the bulk writes."""

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be deleted.")


def kept_fields_changed(instance, names, kept_rows) -> bool:
    """Whether a form changes fields that are kept once a row is in use: `names` (attnames, e.g. "funder_id")
    differ from the saved row, and that row is among `kept_rows` (the redeemed vouchers, the programmes that
    issued cheques…). A new row changes nothing. Models say so in their `clean`, which every form runs."""
    if instance.pk is None:
        return False
    saved = kept_rows.filter(pk=instance.pk).values(*names).first()
    return saved is not None and saved != {name: getattr(instance, name) for name in names}


class AppendOnlyModel(WrittenOnce, models.Model):
    """Base for journals. Writes go through the typed `log_*` constructors of each subclass."""

    created = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created", "pk"]
