"""A phone's photo in its high-resolution mode weighs 12 to 20 MB (a 50 MP JPEG, with the HDR or depth pictures
a phone appends after it). Sent over a slow link, it must not be refused once it has arrived: each path that
takes a photo (device photos, eligibility proofs, warranty photos) keeps it, re-encoded, up to 20 MB."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inventory.photos import add_photo
from reuse.aftercare.services.tickets import store_photo
from reuse.eligibility.documents import check_upload
from reuse.errors import TooLarge
from reuse.images import MAX_PHOTO_BYTES
from tests.factories.accounts import member_of
from tests.factories.inventory import DeviceFactory

MB = 1024 * 1024


def heavy_photo(size: int) -> SimpleUploadedFile:
    """A JPEG followed by what a phone appends to it (here filler), `size` bytes in all."""
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (40, 120, 200)).save(out, "JPEG", quality=90)
    photo = out.getvalue()
    return SimpleUploadedFile("IMG_0001.jpg", photo + b"\0" * (size - len(photo)), content_type="image/jpeg")


def test_the_photo_limit_is_20_mb():
    assert MAX_PHOTO_BYTES == 20 * MB


@pytest.mark.django_db
def test_a_12_mb_device_photo_is_kept():
    device = DeviceFactory()
    photo = add_photo(device=device, actor=member_of(device.workshop), upload=heavy_photo(12 * MB))
    assert (photo.width, photo.height) == (2000, 1500)


def test_a_12_mb_eligibility_proof_is_kept_as_a_jpeg():
    assert check_upload(heavy_photo(12 * MB)).content_type == "image/jpeg"


def test_a_12_mb_warranty_photo_is_kept():
    assert store_photo(heavy_photo(12 * MB)).size < MB


@pytest.mark.parametrize("path", ["device", "eligibility", "warranty"])
@pytest.mark.django_db
def test_a_photo_over_20_mb_is_refused_saying_so(path):
    upload = heavy_photo(20 * MB + 1)
    with pytest.raises(TooLarge) as refused:
        if path == "device":
            device = DeviceFactory()
            add_photo(device=device, actor=member_of(device.workshop), upload=upload)
        elif path == "eligibility":
            check_upload(upload)
        else:
            store_photo(upload)
    assert "20 Mo" in str(refused.value.message)
