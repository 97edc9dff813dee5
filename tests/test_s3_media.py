"""STORAGE_BACKEND=s3 against a real S3-compatible server on loopback (moto's server mode), set up as
docs/deploy.md says: the public bucket readable by anyone (a bucket policy), the private one by nobody.

What the folders' mode already holds (tests/test_production.py) holds on S3 too: Wagtail's original images (with
the GPS position and the phone in their EXIF) and documents are not in the public bucket, where anyone with their
name would read them; pages still show renditions from it, and documents are streamed by Wagtail's view after
its checks, never by a redirect to the store.
"""

import io
import json
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from reuse.settings import base as base_settings
from reuse.storage import PrivateFileUrlRefused
from tests.factories.accounts import UserFactory
from tests.factories.cms import private_document

PUBLIC, PRIVATE = "rebond-media", "rebond-private"
REGION = "eu-west-3"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """Two new buckets and the storages of STORAGE_BACKEND=s3 pointed at them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "rebond-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "rebond-test-secret")
    client = boto3.client("s3", endpoint_url=s3_server, region_name=REGION)
    for bucket in (PUBLIC, PRIVATE):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{PUBLIC}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=PUBLIC, Policy=json.dumps(public_read))
    # What the environment would give reuse/settings/base.py (read there when the settings load).
    for name, value in (
        ("AWS_STORAGE_BUCKET_NAME", PUBLIC),
        ("PRIVATE_STORAGE_BUCKET_NAME", PRIVATE),
        ("AWS_S3_ENDPOINT_URL", s3_server),
        ("AWS_S3_REGION_NAME", REGION),
    ):
        monkeypatch.setattr(base_settings, name, value)
    settings.STORAGES = base_settings.build_storages("s3")
    yield client
    for bucket in (PUBLIC, PRIVATE):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def keys(client, bucket: str) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def phone_jpeg() -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    PILImage.new("RGB", (800, 600), "green").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.django_db
def test_a_wagtail_original_image_is_kept_out_of_the_public_bucket(
    s3, s3_server, django_capture_on_commit_callbacks
):
    from wagtail.images.models import Image

    image = Image.objects.create(
        title="Portes ouvertes", file=ContentFile(phone_jpeg(), name="IMG_2034.jpg"), width=800, height=600
    )
    key = f"media/{image.file.name}"
    assert image.file.name.startswith("original_images/")
    # Whoever guesses or learns the name reads nothing from the public bucket, and nothing from the private one.
    assert key not in keys(s3, PUBLIC)
    assert anonymous_get(f"{s3_server}/{PUBLIC}/{key}")[0] in (403, 404)
    assert key in keys(s3, PRIVATE)
    assert anonymous_get(f"{s3_server}/{PRIVATE}/{key}")[0] == 403
    with pytest.raises(PrivateFileUrlRefused):
        image.file.url  # noqa: B018 (the property call is what is refused)

    # Pages show a rendition, drawn from the original read back from the private bucket, published without EXIF.
    rendition = image.get_rendition("fill-400x300")
    assert rendition.file.name.startswith("images/")
    status, published = anonymous_get(rendition.url)
    assert status == 200
    assert b"SecretCam" not in published
    assert not PILImage.open(io.BytesIO(published)).getexif()

    with django_capture_on_commit_callbacks(execute=True):  # Wagtail deletes the files after the commit
        image.delete()
    assert key not in keys(s3, PRIVATE)


@pytest.mark.django_db
def test_wagtail_documents_are_streamed_after_wagtail_checks_never_from_the_public_bucket(
    s3, s3_server, client
):
    from wagtail.documents.models import Document

    private = private_document()
    public = Document.objects.create(title="Guide", file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf"))

    for document in (private, public):
        key = f"media/{document.file.name}"
        assert key not in keys(s3, PUBLIC)
        assert anonymous_get(f"{s3_server}/{PUBLIC}/{key}")[0] in (403, 404)
        assert anonymous_get(f"{s3_server}/{PRIVATE}/{key}")[0] == 403

    assert client.get(private.url).status_code == 302  # to the sign-in
    response = client.get(public.url)
    assert response.status_code == 200  # streamed by Rebond, not a redirect to the store
    assert b"".join(response.streaming_content) == b"%PDF-1.4 guide"
    client.force_login(UserFactory())
    response = client.get(private.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 internal"


def test_the_public_storage_refuses_to_share_its_bucket_with_what_it_keeps_apart():
    from reuse.storage import PublicMediaS3Storage

    options = base_settings.build_storages("s3")["default"]["OPTIONS"] | {"bucket_name": PUBLIC}
    with pytest.raises(ValueError, match="private bucket"):
        PublicMediaS3Storage(**options | {"private_bucket_name": PUBLIC})
    with pytest.raises(ValueError, match="private bucket"):
        PublicMediaS3Storage(**options | {"private_bucket_name": ""})
