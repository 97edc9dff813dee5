"""The shared photo reader opens an iPhone's HEIC by itself. Until it did, the workshop's photos read HEIC only
because Wagtail's image library (Willow) imports pillow-heif's plugin as a side effect, which registers it in
Pillow: a process that had not loaded Wagtail, or a Wagtail without that extra, read no HEIC at all."""

import subprocess
import sys
from pathlib import Path

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
