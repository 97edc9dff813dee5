"""A household reports a broken device with the photo its phone took: a 12-megapixel JPEG of several megabytes,
turned by its EXIF orientation. It goes through; a photo that cannot go is refused beside the photo field, with
what was written kept."""

import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reuse.aftercare.models import Ticket
from tests.aftercare.helpers import handed_over
from tests.phone_photos import assert_upright_jpeg_without_metadata, phone_photo

pytestmark = pytest.mark.django_db
PROBLEM = "L’écran reste noir quand je l’allume."


def big_phone_photo() -> SimpleUploadedFile:
    """4000 × 3000 pixels of sensor noise, about 6 MB, held sideways (EXIF orientation 6) as phones store them."""
    noise = random.Random(4000).randbytes(4000 * 3000 * 3)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.frombytes("RGB", (4000, 3000), noise).save(out, "JPEG", quality=60, exif=exif)
    assert 5 * 1024 * 1024 < out.tell() < 8 * 1024 * 1024
    return SimpleUploadedFile("IMG_20261202_101500.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def claim(client, programme):
    """A claim handed over, its household signed in on `client`."""
    claim, _technician = handed_over()
    client.force_login(claim.beneficiary)
    return claim


def report(client, claim, photo):
    """The household reports PROBLEM about its device with `photo`, from the claim's after-sale form."""
    return client.post(
        reverse("aftercare:open_for_claim", args=[claim.pk]), {"description": PROBLEM, "photo": photo}
    )


def photo_input(response) -> str:
    page = response if isinstance(response, str) else response.content.decode()
    return re.search(r'<input type="file" name="photo"[^>]*>', page).group(0)


def test_a_phones_photo_of_several_megabytes_goes_with_the_problem(client, claim):
    response = report(client, claim, big_phone_photo())
    assert response.status_code == 302
    stored = Image.open(Ticket.objects.get(claim=claim).photo.open("rb"))
    assert stored.height > stored.width  # turned upright, as it was taken


def test_an_iphone_heic_photo_goes_with_the_problem_upright_without_its_gps(client, claim):
    page = client.get(reverse("aftercare:open_for_claim", args=[claim.pk])).content.decode()
    assert "image/heic" in photo_input(page)
    response = report(client, claim, SimpleUploadedFile("IMG_0042.HEIC", phone_photo("HEIF")))
    assert response.status_code == 302
    with Ticket.objects.get(claim=claim).photo.open("rb") as handle:
        assert_upright_jpeg_without_metadata(handle.read())


def test_a_photo_too_heavy_is_refused_beside_the_photo_field(client, claim):
    heavy = SimpleUploadedFile(
        "scan.jpg", b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024), content_type="image/jpeg"
    )
    response = report(client, claim, heavy)
    assert response.status_code == 413 and not Ticket.objects.exists()
    assert 'aria-invalid="true"' in photo_input(response)
    assert "dépasse 20 Mo" in response.content.decode() and PROBLEM in response.content.decode()


def test_a_file_that_is_no_photo_is_refused_beside_the_photo_field(client, claim):
    response = report(client, claim, SimpleUploadedFile("note.jpg", b"not a photo at all"))
    assert not Ticket.objects.exists()
    assert 'aria-invalid="true"' in photo_input(response)
