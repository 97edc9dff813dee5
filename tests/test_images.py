"""The shared photo reader opens an iPhone's HEIC by itself. Until it did, the workshop's photos read HEIC only
because Wagtail's image library (Willow) imports pillow-heif's plugin as a side effect, which registers it in
Pillow: a process that had not loaded Wagtail, or a Wagtail without that extra, read no HEIC at all."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from reuse.errors import InvalidInput
from reuse.images import MAX_PIXELS, read_photo
from tests.phone_photos import SENSOR_SIZE, phone_photo

ROOT = Path(__file__).resolve().parent.parent

READ_WITHOUT_DJANGO = """
import sys
from reuse.images import encode, read_photo
assert "willow" not in sys.modules
image, family = read_photo(sys.stdin.buffer.read())
print(family, image.size, len(encode(image)) > 0)
"""


def test_the_reader_opens_a_heic_without_wagtail_having_registered_it():
    done = subprocess.run(
        [sys.executable, "-c", READ_WITHOUT_DJANGO],
        input=phone_photo("HEIF"),
        capture_output=True,
        check=False,
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "reuse.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split() == ["HEIF", f"({SENSOR_SIZE[1]},", f"{SENSOR_SIZE[0]})", "True"]


def test_a_50_megapixel_phone_photo_is_read_at_half_size_upright_without_its_gps():
    # A phone's « 50 MP » mode (8160 × 6120, Samsung Galaxy A and Redmi Note): 50 million pixels, above what a
    # photo may decode to. A JPEG is decoded at half its size (libjpeg scales while decoding), so it is kept
    # instead of being refused as a decompression bomb.
    sensor = (8160, 6120)
    image = Image.new("RGB", sensor, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, sensor[0] // 2, sensor[1]))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: held sideways
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    del image

    photo, family = read_photo(out.getvalue())

    assert family == "JPEG"
    assert photo.size == (sensor[1] // 2, sensor[0] // 2)  # upright: portrait, at half size
    assert photo.width * photo.height <= MAX_PIXELS
    assert not photo.info and not photo.getexif()
    assert photo.getpixel((1500, 100))[0] > 200 and photo.getpixel((1500, 3900))[2] > 200


def test_a_photo_too_large_even_for_its_phone_says_how_to_send_it():
    out = io.BytesIO()
    Image.new("1", (12_000, 9_000)).save(out, "PNG")  # 108 million pixels: a « 108 MP » mode's size
    with pytest.raises(InvalidInput) as refused:
        read_photo(out.getvalue())
    assert "taille normale" in str(refused.value.message)


def _jpeg(size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "pas une image lisible"),
        (_jpeg()[:5000], "pas une image lisible"),  # a photo cut short by a lost connection
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
            "pas une image lisible",
        ),  # an SVG named .jpg
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "pas une image lisible"),
        (_jpeg()[:2] + b"\xff\xe0" + b"\0" * 100, "pas une image lisible"),
    ],
)
def test_what_is_not_a_whole_photo_is_refused_in_french(content, message):
    with pytest.raises(InvalidInput) as refused:
        read_photo(content)
    assert message in str(refused.value.message)


def test_a_png_of_30000_by_30000_pixels_small_on_disk_is_refused_as_too_large():
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, "PNG")
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(InvalidInput) as refused:
        read_photo(out.getvalue())
    assert "trop grande" in str(refused.value.message)
