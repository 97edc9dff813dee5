"""Which of its lot's certificates an erasure certificate is, as its PDF prints it."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from donations.models import ErasureCertificate


def version_line(certificate: ErasureCertificate) -> str:
    """Which of the lot's certificates this one is, and the one it replaces: read from the certificates issued
    before it, which never change, so that a PDF drawn again says the same."""
    earlier = certificate.lot.certificates.filter(
        Q(created__lt=certificate.created) | Q(created=certificate.created, pk__lt=certificate.pk)
    ).order_by("-created", "-pk")
    previous = earlier.first()
    version = {"version": earlier.count() + 1}
    if previous is None:
        return _("Version %(version)s du certificat de ce lot.") % version
    return _(
        "Version %(version)s du certificat de ce lot : remplace le certificat %(code)s émis le %(date)s, "
        "qui ne vaut plus (les effacements ou le devenir des appareils ont changé depuis)."
    ) % {
        **version,
        "code": previous.code,
        "date": timezone.localtime(previous.created).strftime("%d/%m/%Y %H:%M"),
    }
