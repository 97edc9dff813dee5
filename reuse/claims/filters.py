"""The catalogue's filters (web page and API share them) and its keyset cursor."""

import base64

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inventory.enums import DeviceType
from inventory.models import Device
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.forms import PostcodeField
from reuse.bounds import whole_number
from reuse.money import EurosField
from reuse.programmes.departments import departments_near, is_department

OS_CHOICES = [
    ("windows", "Windows"),
    ("linux", "Linux"),
    ("chrome", "ChromeOS"),
    ("mac", "macOS"),
    ("android", "Android"),
    ("ios", "iOS / iPadOS"),
]
KEYBOARD_CHOICES = [("azerty", "AZERTY"), ("qwerty", "QWERTY"), ("bepo", "BÉPO")]
RADIUS_CHOICES = [(10, _("10 km")), (20, _("20 km")), (50, _("50 km")), (100, _("100 km"))]
RAM_CHOICES = [(2, _("2 Go")), (4, _("4 Go")), (8, _("8 Go")), (16, _("16 Go"))]
STORAGE_CHOICES = [(64, _("64 Go")), (128, _("128 Go")), (256, _("256 Go")), (512, _("512 Go"))]
GRADE_CHOICES = [("A", _("A : comme neuf")), ("B", _("B : traces légères")), ("C", _("C : traces visibles"))]


def known_department(value: str) -> None:
    # Someone typing "Seine-Saint-Denis" or "930" is told what to write, rather than shown an empty list.
    if value and not is_department(value.strip().upper()):
        raise ValidationError(_("Écrivez le numéro du département, par exemple 93."), code="department")


def at_least(label, choices, field_name: str) -> django_filters.TypedChoiceFilter:
    """A lower bound in whole gigabytes chosen from a list, for memory and storage alike."""
    return django_filters.TypedChoiceFilter(
        label=label,
        choices=[("", _("Indifférent")), *choices],
        coerce=int,
        empty_value=None,
        field_name=field_name,
        lookup_expr="gte",
    )


def catalogue_queryset():
    """Listed devices of workshops that may hand them over (a suspended workshop's stock waits)."""
    return (
        Device.objects.listed()
        .filter(workshop__status=OrganisationStatus.APPROVED)
        .select_related("workshop")
    )


class PostcodeFilter(django_filters.CharFilter):
    field_class = PostcodeField


class EurosFilter(django_filters.Filter):
    """An amount typed in euros as a person writes it (« 12,50 »), read in cents (reuse.money.EurosField)."""

    field_class = EurosField


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche (marque, modèle…)"), method="search", max_length=80)
    type = django_filters.ChoiceFilter(
        label=_("Type d’appareil"), choices=DeviceType.choices, empty_label=_("Tous")
    )
    near = PostcodeFilter(
        label=_("Près du code postal"),
        method="filter_near",
        # A mistyped postcode must be said next to the field, not answered by an empty list.
        error_messages={"postcode": _("Écrivez un code postal à 5 chiffres, par exemple 93200.")},
    )
    radius_km = django_filters.TypedChoiceFilter(
        label=_("Distance"), choices=RADIUS_CHOICES, coerce=int, method="noop", empty_value=None
    )
    department = django_filters.CharFilter(
        label=_("Département"),
        help_text=_("Son numéro, par exemple 93."),
        method="filter_department",
        max_length=3,
        validators=[known_department],
    )
    grade = django_filters.ChoiceFilter(
        label=pgettext_lazy("grade", "État"), choices=GRADE_CHOICES, empty_label=_("Tous")
    )
    max_price = EurosFilter(label=_("Prix maximum (€)"), method="filter_max_price", max_cents=10_000_000)
    # The API's name for the same bound, in cents; hidden in the web form, which asks for euros.
    max_price_cents = django_filters.NumberFilter(
        field_name="price_cents", lookup_expr="lte", min_value=0, widget=forms.HiddenInput
    )
    os = django_filters.ChoiceFilter(
        label=_("Système"), choices=OS_CHOICES, method="filter_os", empty_label=_("Tous")
    )
    min_ram_gb = at_least(_("Mémoire vive au moins"), RAM_CHOICES, "ram_gb")
    min_storage_gb = at_least(_("Stockage au moins"), STORAGE_CHOICES, "storage_gb")
    keyboard = django_filters.ChoiceFilter(
        label=_("Clavier"),
        choices=KEYBOARD_CHOICES,
        field_name="keyboard_layout",
        lookup_expr="iexact",
        empty_label=_("Indifférent"),
    )

    class Meta:
        model = Device
        fields: list[str] = []

    def search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(brand__icontains=word)
                | Q(model__icontains=word)
                | Q(cpu__icontains=word)
                | Q(os__icontains=word)
            )
        return queryset

    def noop(self, queryset, name, value):
        return queryset

    def filter_near(self, queryset, name, value):
        radius = self.form.cleaned_data.get("radius_km") or 20
        departments = departments_near(value, radius)
        return queryset.filter(workshop__department__in=departments) if departments else queryset.none()

    def filter_department(self, queryset, name, value):
        return queryset.filter(workshop__department=value.strip().upper())

    def filter_max_price(self, queryset, name, value):
        return queryset.filter(price_cents__lte=value)

    def filter_os(self, queryset, name, value):
        return queryset.filter(os__icontains=value)


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"d{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return whole_number(raw[1:]) if raw.startswith("d") else None


def keyset_page(queryset, cursor: str | None, limit: int):
    """Newest listed first, by primary key: stable while devices come and go, one query per page."""
    after = decode_cursor(cursor)
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    rows = list(queryset.order_by("-pk")[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor
