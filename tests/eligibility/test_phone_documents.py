"""A household (or its referrer) sends its CAF attestation photographed with a phone: an iPhone's HEIC, a JPEG or a
WebP, each with the GPS position of the home where it was taken. Staff must be able to open it in their browser,
and the position must not be kept: the photo is stored upright, as a JPEG without any metadata. A PDF stays the
PDF that was sent; what only looks like a photo by its name is still refused."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reuse.eligibility.models import EligibilityDecision, EligibilityDocument
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import household
from tests.phone_photos import assert_upright_jpeg_without_metadata, phone_photo

pytestmark = pytest.mark.django_db
QUESTIONNAIRE = "/eligibilite/questionnaire/"


def send_as_household(client, name: str, content: bytes):
    person = household()
    client.force_login(person)
    client.get(QUESTIONNAIRE)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "document"})
    return client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile(name, content)})


def stored(document: EligibilityDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    "image_format,name", [("HEIF", "IMG_4032.HEIC"), ("JPEG", "IMG_4032.JPG"), ("WEBP", "attestation.webp")]
)
def test_a_household_sends_a_phone_photo_kept_upright_as_a_jpeg_without_its_gps(
    client, programme, image_format, name
):
    response = send_as_household(client, name, phone_photo(image_format))
    assert response.status_code == 302
    document = EligibilityDocument.objects.get()
    assert document.decision.status == "pending" and document.content_type == "image/jpeg"
    kept = stored(document)
    assert_upright_jpeg_without_metadata(kept)
    assert (document.size, document.sha256) == (len(kept), hashlib.sha256(kept).hexdigest())


def test_a_referrer_sends_an_iphone_photo_for_a_household_kept_without_its_gps(client, referrer, mandated):
    client.force_login(referrer)
    url = f"/eligibilite/prescripteur/foyers/{mandated.pk}/justificatif/"
    assert ".heic" in client.get(url).content.decode()  # the file picker offers the iPhone's photos
    response = client.post(
        url, {"criteria": ["aah"], "file": SimpleUploadedFile("IMG_0042.HEIC", phone_photo("HEIF"))}
    )
    assert response.status_code == 302
    document = EligibilityDecision.objects.get(beneficiary=mandated).documents.get()
    assert document.content_type == "image/jpeg" and document.uploaded_by == referrer
    assert_upright_jpeg_without_metadata(stored(document))


def test_an_iphone_jpeg_with_its_hdr_picture_is_accepted(client, programme):
    """An iPhone's « most compatible » JPEG carries a second picture (MPO): it was refused as « abîmée »."""
    first = Image.new("RGB", (200, 300), "white")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (100, 150), "gray")])
    assert send_as_household(client, "IMG_0042.JPG", out.getvalue()).status_code == 302
    assert Image.open(EligibilityDocument.objects.get().file.open("rb")).format == "JPEG"


def test_a_pdf_is_kept_as_it_was_sent(client, programme):
    assert send_as_household(client, "caf.pdf", PDF).status_code == 302
    document = EligibilityDocument.objects.get()
    assert document.content_type == "application/pdf" and stored(document) == PDF


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("IMG_0042.HEIC", b"<!doctype html><html><script>alert(1)</script></html>", "ni un PDF"),
        ("IMG_0042.HEIC", phone_photo("HEIF")[:400], "pas une image lisible"),
        ("photo.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 broken", "pas une image lisible"),
    ],
)
def test_what_only_looks_like_a_photo_is_refused_and_nothing_is_kept(
    client, programme, name, content, message
):
    response = send_as_household(client, name, content)
    assert response.status_code != 302 and message in response.content.decode()
    assert not EligibilityDocument.objects.exists()


def test_proofs_stored_before_keep_no_gps_once_the_deploy_command_ran(client, programme):
    """Before every photo was re-encoded on upload, a proof was stored byte for byte: the deploy command rewrites
    those photos as an upload is now, leaves a PDF as sent, and names a file it cannot read instead of stopping."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    send_as_household(client, "IMG_4032.JPG", phone_photo("JPEG"))
    photo = EligibilityDocument.objects.get()
    send_as_household(client, "caf.pdf", PDF)
    pdf = EligibilityDocument.objects.exclude(pk=photo.pk).get()
    send_as_household(client, "IMG_4033.JPG", phone_photo("JPEG"))
    damaged = EligibilityDocument.objects.exclude(pk__in=[photo.pk, pdf.pk]).get()
    # As the upload of an earlier release kept them: the phone's bytes, and a file damaged on disk since.
    old_name = photo.file.name
    photo.file.save(photo.token, ContentFile(phone_photo("JPEG")), save=True)
    photo.file.storage.delete(old_name)
    assert b"Exif" in stored(photo)
    damaged.file.save(damaged.token, ContentFile(b"\xff\xd8\xff\xe0 cut short"), save=True)

    out, err = io.StringIO(), io.StringIO()
    call_command("strip_document_photos", stdout=out, stderr=err)

    photo.refresh_from_db()
    kept = stored(photo)
    assert_upright_jpeg_without_metadata(kept)
    assert (photo.size, photo.sha256) == (len(kept), hashlib.sha256(kept).hexdigest())
    assert stored(EligibilityDocument.objects.get(pk=pdf.pk)) == PDF
    assert out.getvalue().startswith("1 photo(s)") and f"n° {damaged.pk}" in err.getvalue()
    out = io.StringIO()
    call_command("strip_document_photos", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("0 photo(s)")
