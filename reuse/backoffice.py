"""The base of every admin viewset of the project: listings and inspect pages show values in the reader's
language, never a raw True/False nor an amount in cents.

Each app's wagtail_hooks.py builds its viewsets on `ModelViewSet` from here instead of Wagtail's.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet as WagtailModelViewSet

from reuse.money import CentsField, format_euros


def yes_no(value) -> str:
    if value is None:
        return "—"
    return str(_("oui") if value else _("non"))


class YesNoColumn(Column):
    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class EurosColumn(Column):
    def get_value(self, instance):
        return format_euros(super().get_value(instance))


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a method or a related lookup: Wagtail's own column fits
        return None


class IndexView(generic.IndexView):
    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        field = _model_field(self.model, field_name)
        if column_class is Column and isinstance(field, CentsField):
            column_class = EurosColumn
        elif column_class is Column and isinstance(field, models.BooleanField):
            column_class = YesNoColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)


class InspectView(generic.InspectView):
    def get_field_display_value(self, field_name, field):
        if isinstance(field, CentsField):
            return format_euros(getattr(self.object, field_name))
        if isinstance(field, models.BooleanField):
            return yes_no(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)


class ModelViewSet(WagtailModelViewSet):
    index_view_class = IndexView
    inspect_view_class = InspectView
