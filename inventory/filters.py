from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from donations.models import Lot
from inventory.enums import DeviceState, DeviceType, Grade
from inventory.models import Device

AGE_CHOICES = [
    ("7", _("Moins d’une semaine")),
    ("30", _("Moins d’un mois")),
    ("90", _("Moins de 3 mois")),
    ("90+", _("Plus de 3 mois")),
]


class StockFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Étiquette, série ou modèle"), method="search")
    state = django_filters.ChoiceFilter(label=_("État"), choices=DeviceState.choices, empty_label=_("Tous"))
    type = django_filters.ChoiceFilter(label=_("Type"), choices=DeviceType.choices, empty_label=_("Tous"))
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices, empty_label=_("Tous"))
    lot = django_filters.ModelChoiceFilter(label=_("Lot"), queryset=Lot.objects.none(), empty_label=_("Tous"))
    age = django_filters.ChoiceFilter(
        label=_("Ancienneté en stock"), choices=AGE_CHOICES, method="filter_age", empty_label=_("Toutes")
    )

    class Meta:
        model = Device
        fields = ["q", "state", "type", "grade", "lot", "age"]

    def __init__(self, *args, lots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["lot"].queryset = lots if lots is not None else Lot.objects.none()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(asset_tag=value.upper()) | Q(serial__iexact=value) | Q(model__icontains=value)
        )

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        if value == "90+":
            return queryset.filter(received_at__lt=now - timedelta(days=90))
        return queryset.filter(received_at__gte=now - timedelta(days=int(value)))
