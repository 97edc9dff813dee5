"""Photos as phones write them, for the tests of every upload path: an iPhone's HEIC (its pixels as the sensor saw
them, turned by the file's rotation and EXIF orientation 6), a JPEG and a WebP held sideways, all three with the
phone's make and the GPS position where they were taken; and what a stored photo must be."""

import io

import pillow_heif
from PIL import Image

MAKE = "Apple iPhone 15 SecretCam"
# Sideways as the sensor sees it: red on the left, blue on the right; upright, red is at the top.
SENSOR_SIZE = (300, 200)


def _sideways() -> Image.Image:
    image = Image.new("RGB", SENSOR_SIZE, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, SENSOR_SIZE[0] // 2, SENSOR_SIZE[1]))
    return image


def _phone_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    exif[0x010F] = MAKE  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS IFD: a home in Paris
    return exif.tobytes()


def phone_photo(image_format: str) -> bytes:
    """« HEIF » (an iPhone's HEIC: pillow-heif writes the orientation as the file's rotation, as the iPhone does),
    « JPEG » or « WEBP »."""
    out = io.BytesIO()
    if image_format == "HEIF":
        # Written with pillow-heif's own API: the test registers no reader in Pillow.
        pillow_heif.from_pillow(_sideways()).save(out, quality=90, exif=_phone_exif())
    else:
        _sideways().save(out, image_format, exif=_phone_exif(), quality=90)
    return out.getvalue()


def assert_upright_jpeg_without_metadata(stored: bytes, image_format: str = "JPEG"):
    assert MAKE.encode() not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == image_format
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert image.size == (SENSOR_SIZE[1], SENSOR_SIZE[0])  # turned upright: portrait
    red, blue = image.convert("RGB").getpixel((100, 20)), image.convert("RGB").getpixel((100, 280))
    assert red[0] > 200 and red[2] < 60 and blue[2] > 200 and blue[0] < 60, (red, blue)
