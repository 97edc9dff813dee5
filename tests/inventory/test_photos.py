"""Device photos: re-encoded without their metadata, with a small thumbnail; what is not a sound image is
refused and writes nothing."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inventory import photos
from inventory.models import DevicePhoto
from reuse.errors import InvalidInput, TooLarge
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


# Photos -------------------------------------------------------------------------------------------------


def jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_reencoded_without_metadata_with_a_small_webp_thumbnail(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    original = jpeg_with_gps()
    assert b"SecretCam" in original
    photo = photos.add_photo(device=device, actor=technician, upload=SimpleUploadedFile("p.jpg", original))
    stored = default_storage.open(photo.image.name).read()
    assert b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    thumb = default_storage.open(photo.thumbnail.name).read()
    assert len(thumb) <= 20 * 1024
    assert Image.open(io.BytesIO(thumb)).format == "WEBP"


def test_a_noisy_photo_still_gets_a_thumbnail_under_20_kb(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    noise = Image.frombytes("RGB", (1200, 900), bytes(__import__("os").urandom(1200 * 900 * 3)))
    out = io.BytesIO()
    noise.save(out, "PNG")
    photo = photos.add_photo(
        device=device, actor=technician, upload=SimpleUploadedFile("n.png", out.getvalue())
    )
    assert len(default_storage.open(photo.thumbnail.name).read()) <= 20 * 1024


def test_non_images_bombs_and_oversized_files_are_refused_and_nothing_is_written(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    with pytest.raises(InvalidInput, match="pas une image"):
        photos.add_photo(
            device=device, actor=technician, upload=SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image")
        )
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    with pytest.raises(InvalidInput, match="trop grande"):
        photos.add_photo(device=device, actor=technician, upload=SimpleUploadedFile("b.png", bomb.getvalue()))
    big = SimpleUploadedFile("big.jpg", b"0" * (20 * 1024 * 1024 + 1))
    with pytest.raises(TooLarge):
        photos.add_photo(device=device, actor=technician, upload=big)
    assert not DevicePhoto.objects.exists()


def test_a_photo_sent_twice_by_a_double_tap_is_kept_once(workshop, technician):
    # A technician's phone on a slow link: the first send seems stuck, the button is tapped again.
    device = DeviceFactory(workshop=workshop)
    original = jpeg_with_gps()
    first = photos.add_photo(device=device, actor=technician, upload=SimpleUploadedFile("p.jpg", original))
    again = photos.add_photo(device=device, actor=technician, upload=SimpleUploadedFile("p.jpg", original))
    assert again.pk == first.pk
    assert DevicePhoto.objects.filter(device=device).count() == 1
    stored = {name for name in default_storage.listdir(f"devices/{device.pk}")[1]}
    assert stored == {first.image.name.rsplit("/", 1)[-1], first.thumbnail.name.rsplit("/", 1)[-1]}
    # Another photo of the same device is another photo, and the same photo of another device is that device's.
    other = photos.add_photo(
        device=device, actor=technician, upload=SimpleUploadedFile("q.jpg", jpeg_with_gps((1200, 1600)))
    )
    elsewhere = photos.add_photo(
        device=DeviceFactory(workshop=workshop),
        actor=technician,
        upload=SimpleUploadedFile("p.jpg", original),
    )
    assert len({first.pk, other.pk, elsewhere.pk}) == 3
