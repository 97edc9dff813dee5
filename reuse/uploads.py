"""How large each kind of upload may be, declared once, and the one way every upload path checks it.

A limit is checked on the size the upload declares before a byte of it is read, then again on what is read (a
size may be missing or wrong): `UploadLimit.read` for the paths that need the bytes (stock file, bench reports,
photos, eligibility proofs), `UploadLimit.check` for the donor's manifest, stored as it came and read later by a
worker. The API and the pages call the same services, so both refuse with the same message (413 in the API).

`LimitedFileField` tells the browser the same limit (`data-max-bytes`, and `data-too-large`, the message in the
page's language), and is followed by `reuse/static/js/upload-limit.js` (only pages with such a field load it):
the script says it before a slow phone spends minutes sending a file that will be refused. Without JavaScript nothing changes: the server's check is the rule.
"""

from dataclasses import dataclass

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reuse.errors import TooLarge
from reuse.filekinds import read_at_most

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimit:
    max_bytes: int
    message: str

    def check(self, upload) -> None:
        """Refuse an upload whose declared size is over the limit, without reading it."""
        size = getattr(upload, "size", None)
        if size is not None and size > self.max_bytes:
            raise TooLarge(str(self.message))

    def read(self, upload) -> bytes:
        """The upload's bytes: refused from its declared size before reading, never more than the limit read."""
        return read_at_most(upload, self.max_bytes, str(self.message))


# A donor's manifest (CSV, XLSX, ODS, XLS), stored then imported by a worker.
MANIFEST = UploadLimit(20 * MB, _("Le fichier dépasse 20 Mo : découpez-le en plusieurs manifestes."))
# A workshop's stock file, exported from the stock list and edited in a spreadsheet.
STOCK_FILE = UploadLimit(5 * MB, _("Le fichier dépasse 5 Mo."))
# A bench's output: one report, or a zip of a batch (each file inside is bounded by inventory/reports).
BENCH_REPORTS = UploadLimit(50 * MB, _("Le fichier dépasse 50 Mo."))
# A photo from a phone (a recent iPhone's HEIC or a 50-megapixel JPEG stays far below), of a device or a problem.
PHOTO = UploadLimit(20 * MB, _("La photo dépasse 20 Mo."))
TICKET_PHOTO = UploadLimit(
    PHOTO.max_bytes,
    _("La photo dépasse 20 Mo : envoyez-en une plus légère, ou envoyez la demande sans photo."),
)
# The national open data of digital mediation places, uploaded by staff in the admin.
MEDIATION_PLACES = UploadLimit(64 * MB, _("Le fichier dépasse 64 Mo."))
# A household's proof for staff: a photo or a PDF.
PROOF = UploadLimit(20 * MB, _("Le fichier dépasse 20 Mo. Envoyez une photo plus légère ou un PDF."))

LIMITS = (MANIFEST, STOCK_FILE, BENCH_REPORTS, PHOTO, TICKET_PHOTO, MEDIATION_PLACES, PROOF)


class _SaysTheLimit(forms.BoundField):
    """The field followed by the script that says its limit: only pages with such a field load it."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        field = super().as_widget(widget, attrs, only_initial)
        return format_html('{}<script src="{}" defer></script>', field, static("js/upload-limit.js"))


class LimitedFileField(forms.FileField):
    """A file field whose widget tells the browser `limit` (see the module's docstring)."""

    bound_field_class = _SaysTheLimit

    def __init__(self, *, limit: UploadLimit, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "data-max-bytes": str(self.limit.max_bytes),
            "data-too-large": self.limit.message,
        }
