"""The one reader of the photos people send, most often from their phone: the device photos of the workshops, the
warranty photos and the eligibility proofs all go through it.

A phone writes JPEG (MPO when a depth map or an HDR layer rides along), PNG for a screenshot, WebP, or HEIF/HEIC:
the iPhone's default (« Haute efficacité ») and a Samsung's when set so, read with pillow-heif, whose wheels ship
their own libheif. The photo comes out upright (its EXIF orientation applied; libheif turns a HEIF itself), in
RGB on white where it was transparent, and is written back from its pixels only: nothing of its EXIF, GPS, XMP
or ICC (the place it was taken, often the household's home) is kept. A JPEG of a phone's 48 or 50 MP mode is
decoded at half its size; a decompression bomb or a file that is no image is refused with a French message.
"""

import io
import warnings

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from reuse.errors import InvalidInput
from reuse.uploads import PHOTO

# A HEIF's primary image only: its thumbnails, depth maps and auxiliary images are neither decoded nor kept.
register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# The heaviest photo taken: a phone's 48 or 50 MP mode writes 12 to 20 MB (a JPEG and the HDR or depth pictures it
# appends), and a photo refused once it has crossed a slow link is the worst answer. Only its pixels are kept.
MAX_PHOTO_BYTES = PHOTO.max_bytes
# Above this many pixels an image is refused as a decompression bomb (a 10 MB file can decode to gigabytes).
MAX_PIXELS = 40_000_000
# Pillow's name of each format read, and the family it belongs to (an MPO is a JPEG with more pictures after).
FAMILIES = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "HEIF"}
# The formats decoded at a fraction of their size when they are above MAX_PIXELS (see `_scale`).
SCALABLE = {"JPEG", "MPO"}
# The file inputs' « accept »: a picker that is not offered HEIC/HEIF hides a Samsung's HEIF photos, and a
# computer that does not know the type of an iPhone's .heic hides it unless its extension is named.
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


def _too_large() -> InvalidInput:
    return InvalidInput(
        _(
            "Photo trop grande en pixels : choisissez une taille normale (12 Mpx) dans les réglages de "
            "l’appareil photo, ou envoyez une capture d’écran de la photo."
        )
    )


def _scale(probe: Image.Image) -> int:
    """1, or the fraction (2, 4, 8) a JPEG above MAX_PIXELS is decoded at: libjpeg scales while it decodes, so a
    phone's 48 or 50 MP photo costs the memory of MAX_PIXELS. Other formats decode whole, and are refused above."""
    scale = 1
    if probe.format in SCALABLE:
        while probe.width * probe.height > MAX_PIXELS * scale * scale and scale < 8:
            scale *= 2
    return scale


def _open_checked(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.format not in FAMILIES:
                raise InvalidInput(_("Format refusé : envoyez une photo JPEG, PNG, WebP ou HEIC."))
            scale = _scale(probe)
            if probe.width * probe.height > MAX_PIXELS * scale * scale:
                raise _too_large()
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if scale > 1:
                image.draft(None, (image.width // scale, image.height // scale))
                if image.width * image.height > MAX_PIXELS:
                    raise _too_large()  # a JPEG libjpeg cannot scale (more than one part)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_large() from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise InvalidInput(_("Ce fichier n’est pas une image lisible.")) from exc
    return image


def read_photo(data: bytes) -> tuple[Image.Image, str]:
    """The photo upright in RGB, and its format's family (JPEG, PNG, WEBP or HEIF); InvalidInput otherwise.

    The image returned is a fresh one holding the pixels alone: it carries no info dict, so nothing of the
    original EXIF, GPS, XMP or ICC is written back by whatever saves it (the photo, its thumbnail)."""
    image = _open_checked(data)
    family = FAMILIES[image.format]
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    return clean, family


def encode(image: Image.Image, image_format: str = "JPEG") -> bytes:
    """A photo from read_photo as a JPEG, or as a PNG (lossless: a screenshot's small print stays sharp)."""
    out = io.BytesIO()
    if image_format == "PNG":
        image.save(out, "PNG")
    else:
        image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop")


def carries_metadata(data: bytes) -> bool:
    """Whether a stored photo still holds what `encode` leaves out (EXIF and its GPS, XMP, ICC, comments), or more
    pictures than its first (an MPO's): a photo `encode` wrote holds none."""
    with Image.open(io.BytesIO(data)) as image:
        return (
            any(key in image.info for key in METADATA_KEYS)
            or bool(image.getexif())
            or getattr(image, "n_frames", 1) > 1
        )
