"""Checks on uploaded eligibility documents: a PDF or a photo (JPEG, PNG, WebP, HEIC), at most 20 MB, judged by
content. A PDF is kept as it came, once `reuse.filekinds.check_passive_pdf` found nothing in it that runs or opens
another file. A photo is kept as the shared reader gives it back: upright, without its metadata (the GPS position of a
household's home, the phone's make), as a JPEG that staff's browsers show (a HEIC, a WebP) or a PNG."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reuse import uploads
from reuse.errors import InvalidInput
from reuse.filekinds import check_passive_pdf
from reuse.images import encode, read_photo

MAX_DOCUMENT_BYTES = uploads.PROOF.max_bytes
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
}
# A photo from an iPhone (HEIC, its default) or a Samsung set to HEIF: its ISO-BMFF box « ftyp » and one of these
# brands. A WebP is a RIFF file of form « WEBP ».
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# How each photo is kept: a PNG stays lossless, every other photo becomes a JPEG.
STORED_AS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG", "HEIF": "JPEG"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    content: bytes


def _kind(head: bytes) -> str | None:
    """« application/pdf », or the family of a photo (JPEG, PNG, WEBP, HEIF), from the first bytes."""
    kind = next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "WEBP"
    if kind is None and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        kind = "HEIF"
    return kind


def check_upload(upload) -> CheckedUpload:
    """Refuse anything that is not, by its bytes, a PDF or a photo of at most 20 MB; give back what to keep."""
    if upload is None:
        raise InvalidInput(_("Choisissez un fichier."), code="no_file")
    upload.seek(0)
    data = uploads.PROOF.read(upload)
    upload.seek(0)
    if not data:
        raise InvalidInput(_("Le fichier est vide."), code="bad_file")
    kind = _kind(data[:16])
    if kind is None:
        raise InvalidInput(
            _("Ce fichier n’est ni un PDF, ni une photo JPEG, PNG, WebP ou HEIC. Envoyez un de ces formats."),
            code="bad_file",
        )
    if kind == "application/pdf":
        # Kept as it came (staff read the document itself), so it must show pages and do nothing else.
        check_passive_pdf(data)
        content, content_type = data, kind
    else:
        try:
            image, family = read_photo(data)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, code="bad_file") from exc
        if family != kind:
            raise InvalidInput(_("Cette image est abîmée ou d’un autre format."), code="bad_file")
        content = encode(image, STORED_AS[kind])
        content_type = CONTENT_TYPES[STORED_AS[kind]]
    return CheckedUpload(
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
