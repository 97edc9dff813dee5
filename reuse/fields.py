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


def visible_lines(value):
    """A text of several lines (a repair note, a message to a household) as `visible_text` makes each line: its
    line breaks, whichever a browser or a phone sent (CR LF, CR, U+2028...), are kept as one LF."""
    if not isinstance(value, str) or value.isprintable():
        return value
    return "".join(_visible_line(line) for line in value.splitlines(keepends=True))


def _visible_line(line: str) -> str:
    (text,) = line.splitlines()
    return visible_text(text) + ("\n" if text != line else "")


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf" and char not in KEPT_FORMAT_CHARACTERS:
        return ""
    return " " if category in SPACED_CATEGORIES else char


class VisibleFieldMixin:
    """Stores `made_visible` of what is written, whatever wrote it (a site form, the API, the Wagtail admin, an
    import, `QuerySet.update`), since the rule sits at the model field every write path goes through."""

    made_visible = staticmethod(visible_text)

    def to_python(self, value):
        return self.made_visible(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = self.made_visible(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return self.made_visible(super().get_prep_value(value))


class NameField(VisibleFieldMixin, models.CharField):
    """A one-line text people read in lists, exports, PDFs and email subjects (a person's or an organisation's
    name, a lot's or a programme's title, a place, a label, a short note): stored as `visible_text`."""


class NoteField(VisibleFieldMixin, models.TextField):
    """A text of several lines people read (a repair note, a message to a household): stored as `visible_lines`."""

    made_visible = staticmethod(visible_lines)


VISIBLE_FIELDS = (NameField, NoteField)


def clean_stored_names(apps, app_label: str, model_name: str, *fields: str, made_visible=None) -> None:
    """For a data migration: the texts stored before their `NameField` or `NoteField` made them visible, row by
    row (a few thousand), each as its field (in the migration's state) stores it, or as `made_visible` does (for
    a field that is not ours, a Wagtail page's title)."""
    model = apps.get_model(app_label, model_name)
    cleaners = {field: made_visible or model._meta.get_field(field).get_prep_value for field in fields}
    unique = [field for field in fields if model._meta.get_field(field).unique]
    for row in model.objects.only("pk", *fields).iterator():
        cleaned = {field: cleaners[field](getattr(row, field)) for field in fields}
        if any(cleaned[field] != getattr(row, field) for field in fields):
            _refuse_a_taken_name(model, row, {field: cleaned[field] for field in unique})
            model.objects.filter(pk=row.pk).update(**cleaned)


def _refuse_a_taken_name(model, row, cleaned: dict) -> None:
    """Two rows that differ only by invisible characters (« CAF 93 » and « CAF 93[U+200B] ») would share a unique
    name once cleaned: the migration stops (and writes nothing) naming both, for staff to rename one."""
    for field, value in cleaned.items():
        taken = model.objects.filter(**{field: value}).exclude(pk=row.pk).values_list("pk", flat=True).first()
        if taken is not None:
            raise ValueError(
                f"{model._meta.label} {row.pk}: its {field} without invisible characters, {value!r}, is already "
                f"that of {model._meta.label} {taken}. Rename one of them in the admin, then migrate again."
            )
