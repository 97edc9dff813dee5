"""Field factories every app's models share, so that one kind of link is declared one way."""

import unicodedata

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


# Characters a name never needs and that deceive whoever reads it: Unicode's format characters (the
# bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and
# U+061C, the zero-width space, the byte order mark...) are removed; controls and line or paragraph separators
# become a space. The zero-width non-joiner and joiner stay: Persian and the Indic scripts spell words with them,
# and they reverse nothing.
KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
SPACED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def visible_text(value):
    """A one-line text as its reader must see it: without the characters that reorder or hide what follows
    (« Atelier\u202e lanoitan\u202c » shown as « Atelier national »). Every letter is kept, right-to-left
    letters (Arabic, Hebrew) with them: their direction comes from the letters themselves. Non-text passes."""
    if not isinstance(value, str) or value.isprintable():
        # Printable text holds no format, control or separator character: nothing to do (every save and lookup
        # of a name comes through here).
        return value
    return "".join(_visible(char) for char in value)


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf" and char not in KEPT_FORMAT_CHARACTERS:
        return ""
    return " " if category in SPACED_CATEGORIES else char


class NameField(models.CharField):
    """A name or title people read in lists, exports, PDFs and email subjects (a person's, an organisation's, a
    lot's, a place's): stored as `visible_text` whatever wrote it (a site form, the API, the Wagtail admin, an
    import, `QuerySet.update`), since the rule sits at the model field every write path goes through."""

    def to_python(self, value):
        return visible_text(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = visible_text(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return visible_text(super().get_prep_value(value))


def clean_stored_names(apps, app_label: str, model_name: str, *fields: str) -> None:
    """For a data migration: the names stored before `NameField` made visible, row by row (a few thousand)."""
    model = apps.get_model(app_label, model_name)
    for row in model.objects.only("pk", *fields).iterator():
        cleaned = {field: visible_text(getattr(row, field)) for field in fields}
        if any(cleaned[field] != getattr(row, field) for field in fields):
            model.objects.filter(pk=row.pk).update(**cleaned)
