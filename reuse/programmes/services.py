"""Which programme covers a territory: the one lookup every app uses (inventory prices, claim caps, the CMS)."""

from django.utils import timezone

from reuse.programmes.models import Programme


def active_programmes(on=None):
    return Programme.objects.active(on or timezone.localdate()).prefetch_related("prices").order_by("pk")


def programme_for_department(department: str, on=None) -> Programme | None:
    """The active programme covering a department (active programmes never overlap: `Programme.clean`)."""
    return Programme.objects.for_department(department, on).order_by("pk").first()


def covered_departments(on=None) -> list[str]:
    """Departments covered by an active programme, sorted ("2A", "2B" and overseas included)."""
    codes = {str(code) for programme in active_programmes(on) for code in programme.departments}
    return sorted(codes, key=lambda code: (len(code), code))
