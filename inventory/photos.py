"""Device photos: only real images, re-encoded without metadata (EXIF, GPS), with a small WebP thumbnail."""

import hashlib
import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from inventory.models import Device, DevicePhoto
from inventory.models.devices import THUMBNAIL_SIZE
from reuse import uploads
from reuse.errors import Conflict
from reuse.images import encode, read_photo

MAX_SIDE = 2000
THUMBNAIL_MAX_BYTES = 20 * 1024
MAX_PHOTOS = 12


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
    """A phone's photo (JPEG, PNG, WebP or HEIC), upright, at most MAX_SIDE pixels a side, without metadata."""
    image, _family = read_photo(data)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = encode(image)
    return clean, thumbnail_webp(image), image.width, image.height


@transaction.atomic
def add_photo(*, device: Device, actor, upload) -> DevicePhoto:
    """The photo kept for the device; the same file sent again (a double tap) gives back the one kept."""
    data = uploads.PHOTO.read(upload)
    sha256 = hashlib.sha256(data).hexdigest()
    # Two sends at once wait for each other here: the second finds the first's photo, and the cap holds.
    Device.objects.select_for_update().get(pk=device.pk)
    already = device.photos.filter(sha256=sha256).first()
    if already is not None:
        return already
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
            sha256=sha256,
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
