"""Device photos: only real images, re-encoded without metadata (EXIF, GPS), with a small WebP thumbnail."""

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from inventory.models import Device, DevicePhoto
from reuse.errors import Conflict, InvalidInput
from reuse.filekinds import read_at_most

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Above this many pixels an image is refused as a decompression bomb (a 10 MB file can decode to gigabytes).
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
THUMBNAIL_SIZE = (400, 300)
THUMBNAIL_MAX_BYTES = 20 * 1024
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
MAX_PHOTOS = 12


def _open_checked(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise InvalidInput(_("Format refusé : envoyez une photo JPEG, PNG ou WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidInput(_("Image trop grande en pixels : elle est refusée."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InvalidInput(_("Image trop grande en pixels : elle est refusée.")) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise InvalidInput(_("Ce fichier n’est pas une image lisible.")) from exc
    return image


def thumbnail_webp(image: Image.Image) -> bytes:
    """A WebP no larger than THUMBNAIL_MAX_BYTES: lower the quality, then the size, until it fits."""
    size = THUMBNAIL_SIZE
    while True:
        thumb = image.copy()
        thumb.thumbnail(size)
        for quality in (75, 60, 45, 30, 20):
            out = io.BytesIO()
            thumb.save(out, "WEBP", quality=quality, method=4)
            if out.tell() <= THUMBNAIL_MAX_BYTES:
                return out.getvalue()
        size = (int(size[0] * 0.75), int(size[1] * 0.75))


def reencode(data: bytes) -> tuple[bytes, bytes, int, int]:
    image = _open_checked(data)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image carries no info dict: nothing of the original EXIF, GPS, XMP or ICC is written back.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), thumbnail_webp(clean), clean.width, clean.height


@transaction.atomic
def add_photo(*, device: Device, actor, upload) -> DevicePhoto:
    data = read_at_most(upload, MAX_UPLOAD_BYTES, _("La photo dépasse 10 Mo."))
    if device.photos.count() >= MAX_PHOTOS:
        raise Conflict(_("Douze photos au plus par appareil."))
    photo_bytes, thumb_bytes, width, height = reencode(data)
    stem = f"devices/{device.pk}/{uuid.uuid4().hex}"
    image_name = default_storage.save(f"{stem}.jpg", ContentFile(photo_bytes))
    thumb_name = default_storage.save(f"{stem}-thumb.webp", ContentFile(thumb_bytes))
    try:
        return DevicePhoto.objects.create(
            device=device,
            image=image_name,
            thumbnail=thumb_name,
            width=width,
            height=height,
            uploaded_by=actor,
        )
    except Exception:
        default_storage.delete(image_name)
        default_storage.delete(thumb_name)
        raise


@transaction.atomic
def delete_photo(*, photo: DevicePhoto) -> None:
    names = [photo.image.name, photo.thumbnail.name]
    photo.delete()
    for name in names:
        transaction.on_commit(lambda name=name: default_storage.delete(name))
