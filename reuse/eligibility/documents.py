"""Checks on uploaded eligibility documents: PDF, JPEG or PNG, at most 10 MB, judged by content."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from reuse.errors import InvalidInput, TooLarge

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# An iPhone's photo (HEIC/HEIF) when it is sent as it is, from a computer or the Files app: its ISO-BMFF box
# « ftyp » and one of these brands. It is refused like any other format, with a way round the person can take.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


@dataclass
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """Refuse anything that is not, by its bytes, a PDF, a JPEG or a PNG of at most 10 MB."""
    if upload is None:
        raise InvalidInput(_("Choisissez un fichier."), code="no_file")
    size = upload.size
    if size > MAX_DOCUMENT_BYTES:
        raise TooLarge(_("Le fichier dépasse 10 Mo. Envoyez une photo plus légère ou un PDF."))
    if size == 0:
        raise InvalidInput(_("Le fichier est vide."), code="bad_file")
    upload.seek(0)
    head = upload.read(16)
    content_type = next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)
    if content_type is None and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        raise InvalidInput(
            _(
                "Cette photo est au format HEIC de l’iPhone, que nous ne savons pas lire. Faites une capture "
                "d’écran de la photo et envoyez la capture, ou envoyez un PDF."
            ),
            code="bad_file",
        )
    if content_type is None:
        raise InvalidInput(
            _("Ce fichier n’est ni un PDF, ni une photo JPEG ou PNG. Envoyez un de ces formats."),
            code="bad_file",
        )
    upload.seek(0)
    if content_type in PILLOW_FORMATS:
        try:
            with Image.open(upload) as image:
                if image.format != PILLOW_FORMATS[content_type]:
                    raise InvalidInput(_("Cette image est abîmée ou d’un autre format."), code="bad_file")
                image.verify()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ) as exc:
            raise InvalidInput(_("Cette image est abîmée ou d’un autre format."), code="bad_file") from exc
    else:
        upload.seek(0)
        data = upload.read()
        if b"%%EOF" not in data[-2048:]:
            raise InvalidInput(_("Ce PDF est incomplet ou abîmé."), code="bad_file")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())
