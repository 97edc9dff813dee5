"""The production profile refuses every demo default, in one message; the system check rebond.E001 says the same
under `check --deploy`; files live in two named storages and private ones never get a URL; /healthz reports the
database, the broker and the cache."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import OperationalError
from django.test import override_settings

from reuse.deploy import check_production_settings, check_proxy_hops
from reuse.storage import PrivateFileSystemStorage, PrivateFileUrlRefused, PrivateS3Storage
from tests.factories.cms import private_document

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_MODULES = ("reuse.settings.tasks", "reuse.settings.base", "reuse.settings.production")

VALID = {
    "SECRET_KEY": "s" * 30 + "-production-like-secret-key-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "rebond.example",
    "DATABASE_URL": "postgres://rebond@db.internal:5432/rebond",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "STRIPE_SECRET_KEY": "sk_live_rebond_1234",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_rebond_1234",
    "STRIPE_WEBHOOK_SECRET": "whsec_rebond_1234",
    "PUBLIC_BASE_URL": "https://rebond.example",
    "STORAGE_BACKEND": "filesystem",
    "MEDIA_ROOT": "/srv/rebond/media",
    "PRIVATE_MEDIA_ROOT": "/srv/rebond/private",
    # As compose.yaml and deploy/kubernetes/configmap.yaml set it: one ingress or reverse proxy in front.
    "TRUSTED_PROXY_HOPS": "1",
}


def load_production(env: dict) -> dict:
    """Load reuse/settings/production.py as a process would, with exactly this environment."""
    saved = {name: sys.modules.pop(name) for name in SETTINGS_MODULES if name in sys.modules}
    try:
        with mock.patch.dict(os.environ, {"PATH": os.environ.get("PATH", "")} | env, clear=True):
            return runpy.run_module("reuse.settings.production")
    finally:
        for name in SETTINGS_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def refusal(env: dict) -> str:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured) as caught:
        load_production(env)
    return str(caught.value)


def without(*names, **changes) -> dict:
    return {key: value for key, value in VALID.items() if key not in names} | changes


def test_a_complete_environment_starts_with_shared_services():
    loaded = load_production(VALID)
    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is False
    assert loaded["CACHES"]["default"]["BACKEND"].endswith("RedisCache")
    assert loaded["STORAGES"]["private"]["BACKEND"] == "reuse.storage.PrivateFileSystemStorage"
    assert loaded["STORAGES"]["private"]["OPTIONS"]["location"] == Path("/srv/rebond/private")
    assert loaded["MEDIA_ROOT"] == Path("/srv/rebond/media")
    assert loaded["STRIPE_API_BASE"] == "https://api.stripe.com"
    assert loaded["CELERY_BEAT_SCHEDULER"] == "reuse.beat:SingleBeatScheduler"


def test_s3_storage_uses_two_buckets_and_the_private_one_has_no_url():
    loaded = load_production(
        without(
            "MEDIA_ROOT",
            "PRIVATE_MEDIA_ROOT",
            STORAGE_BACKEND="s3",
            AWS_STORAGE_BUCKET_NAME="rebond-media",
            PRIVATE_STORAGE_BUCKET_NAME="rebond-private",
            AWS_S3_ENDPOINT_URL="https://s3.example.net",
            AWS_S3_CUSTOM_DOMAIN="media.rebond.example",
        )
    )
    public, private = loaded["STORAGES"]["default"], loaded["STORAGES"]["private"]
    assert public["BACKEND"] == "reuse.storage.PublicMediaS3Storage"
    assert public["OPTIONS"]["bucket_name"] == "rebond-media"
    # Wagtail's documents and original images: tests/test_s3_media.py, against an S3-compatible server.
    assert public["OPTIONS"]["private_bucket_name"] == "rebond-private"
    assert private["BACKEND"] == "reuse.storage.PrivateS3Storage"
    assert private["OPTIONS"]["bucket_name"] == "rebond-private"
    assert loaded["MEDIA_URL"] == "https://media.rebond.example/media/"
    assert loaded["SERVE_MEDIA"] is False
    # Built as Django would build it: no call to the store is needed to refuse a URL.
    storage = PrivateS3Storage(**private["OPTIONS"])
    with pytest.raises(PrivateFileUrlRefused):
        storage.url("eligibility/attestation.pdf")


@pytest.mark.parametrize(
    "env, expected",
    [
        (without("CELERY_BROKER_URL"), "CELERY_BROKER_URL must be set"),
        (without(CELERY_BROKER_URL="amqp://guest@rabbit//"), "CELERY_BROKER_URL still holds"),
        (without("CACHE_URL"), "CACHE_URL must be set"),
        (without("STRIPE_SECRET_KEY"), "STRIPE_SECRET_KEY must be set"),
        (without(STRIPE_SECRET_KEY="sk_test_rebond_demo"), "STRIPE_SECRET_KEY must be set: the demo's"),
        (
            without(STRIPE_PUBLISHABLE_KEY="pk_test_rebond_demo"),
            "STRIPE_PUBLISHABLE_KEY must be set: the demo's",
        ),
        (without("STRIPE_WEBHOOK_SECRET"), "STRIPE_WEBHOOK_SECRET must be set"),
        (without(STRIPE_WEBHOOK_SECRET="whsec_rebond_demo"), "STRIPE_WEBHOOK_SECRET must be set: the demo's"),
        (without(STRIPE_WEBHOOK_SECRET="rebond"), "STRIPE_WEBHOOK_SECRET still holds"),
        (without(STRIPE_API_BASE="http://127.0.0.1:8420"), "STRIPE_API_BASE still holds"),
        (without(STRIPE_JS_URL="http://127.0.0.1:8420/js.stripe.com/v3/"), "STRIPE_JS_URL still holds"),
        (without("PUBLIC_BASE_URL"), "PUBLIC_BASE_URL must be set"),
        (without(PUBLIC_BASE_URL="http://127.0.0.1:8000"), "PUBLIC_BASE_URL must be set"),
        (without(PUBLIC_BASE_URL="http://rebond.example"), "PUBLIC_BASE_URL still holds"),
        (without("STORAGE_BACKEND"), "STORAGE_BACKEND must be set"),
        (without("MEDIA_ROOT"), "MEDIA_ROOT must be set"),
        (without("PRIVATE_MEDIA_ROOT"), "PRIVATE_MEDIA_ROOT must be set"),
        (without(PRIVATE_MEDIA_ROOT="/srv/rebond/media/private"), "inside the public media folder"),
        (
            without(STORAGE_BACKEND="s3", PRIVATE_STORAGE_BUCKET_NAME="p"),
            "AWS_STORAGE_BUCKET_NAME must be set",
        ),
        (
            without(STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="m"),
            "PRIVATE_STORAGE_BUCKET_NAME must be set",
        ),
        (
            without(STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="m", PRIVATE_STORAGE_BUCKET_NAME="m"),
            "their own bucket",
        ),
        (without("SECRET_KEY"), "SECRET_KEY must be set"),
        (without(ALLOWED_HOSTS="*"), "ALLOWED_HOSTS may not contain '*'"),
    ],
)
def test_each_missing_or_demo_value_is_refused(env, expected):
    message = refusal(env)
    assert expected in message
    # Only what is wrong is listed.
    assert message.count("\n  - ") == 1, message


def test_the_demo_environment_is_refused_in_one_message_listing_everything():
    message = refusal({"SECRET_KEY": VALID["SECRET_KEY"], "ALLOWED_HOSTS": "rebond.example"})
    assert message.startswith("The production profile refuses to start:")
    for name in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CACHE_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "PUBLIC_BASE_URL",
        "STORAGE_BACKEND",
    ):
        assert f"  - {name} must be set" in message, name


def test_the_system_check_reports_each_demo_value_with_its_id(settings):
    """The test profile runs on the demo's defaults: rebond.E001 names each of them. (The PostgreSQL pass sets a
    broker URL in the environment: the demo's eager mode is put back here.)"""
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    errors = check_production_settings()
    assert {error.id for error in errors} == {"rebond.E001"}
    named = " ".join(error.msg for error in errors)
    for name in (
        "CELERY_BROKER_URL",
        "CACHE_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_API_BASE",
        "PUBLIC_BASE_URL",
        "STORAGE_BACKEND",
    ):
        assert name in named, name
    with override_settings(
        CELERY_BROKER_URL="redis://r:6379/0",
        CELERY_TASK_ALWAYS_EAGER=False,
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r"}
        },
        STRIPE_SECRET_KEY="sk_live_x",
        STRIPE_PUBLISHABLE_KEY="pk_live_x",
        STRIPE_WEBHOOK_SECRET="whsec_x",
        STRIPE_API_BASE="https://api.stripe.com",
        STRIPE_JS_URL="https://js.stripe.com/v3/",
        PUBLIC_BASE_URL="https://rebond.example",
        STORAGE_BACKEND="filesystem",
        MEDIA_ROOT=Path("/srv/m"),
        PRIVATE_MEDIA_ROOT=Path("/srv/p"),
    ):
        assert check_production_settings() == []


def test_check_deploy_shows_rebond_e001_outside_the_production_profile():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "reuse.settings.dev"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert (
        "(rebond.E001) STRIPE_SECRET_KEY must be set: the demo's localstripe key is in force" in result.stderr
    )


@pytest.mark.parametrize(
    "proxy_settings, hops, expected",
    [
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}, 0, {"rebond.W001"}),
        ({"USE_X_FORWARDED_HOST": True}, 0, {"rebond.W001"}),
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}, 1, set()),
        ({}, 0, set()),  # gunicorn faces the clients: REMOTE_ADDR is theirs
        ({}, -1, {"rebond.E002"}),  # client_address would read past the end of X-Forwarded-For
    ],
)
def test_the_proxy_check_wants_trusted_proxy_hops_behind_a_proxy(proxy_settings, hops, expected):
    base = {"SECURE_PROXY_SSL_HEADER": None, "USE_X_FORWARDED_HOST": False, "USE_X_FORWARDED_PORT": False}
    with override_settings(**(base | proxy_settings), TRUSTED_PROXY_HOPS=hops):
        found = check_proxy_hops()
    assert {message.id for message in found} == expected
    if expected == {"rebond.W001"}:
        assert "Set TRUSTED_PROXY_HOPS" in found[0].msg and "X-Forwarded-For" in found[0].msg


def test_check_deploy_warns_the_production_profile_left_at_zero_hops_without_failing(tmp_path):
    """The production profile always trusts X-Forwarded-Proto (a proxy ends TLS): at 0 hops every sign-in lockout
    would count the proxy. A warning: an environment without the variable (tests/cluster/) still starts."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= without("TRUSTED_PROXY_HOPS", DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "reuse.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (
        "(rebond.W001) TRUSTED_PROXY_HOPS is 0 while SECURE_PROXY_SSL_HEADER" in result.stdout + result.stderr
    )


# --- Files -------------------------------------------------------------------------------------------------------


def test_private_files_never_get_a_url():
    assert isinstance(storages["private"], PrivateFileSystemStorage)
    name = storages["private"].save("eligibility/attestation.pdf", ContentFile(b"%PDF-1.4 private"))
    with pytest.raises(PrivateFileUrlRefused):
        storages["private"].url(name)


@pytest.mark.django_db
def test_public_media_are_served_by_the_application_as_in_production(client):
    name = storages["default"].save("photos/device.webp", ContentFile(b"RIFF....WEBPVP8 "))
    url = storages["default"].url(name)
    assert url.startswith("/media/")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"RIFF....WEBPVP8 "
    assert response["Content-Type"] == "image/webp"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_private_files_are_not_reachable_through_the_media_url(client):
    storages["private"].save("secret.pdf", ContentFile(b"%PDF private"))
    assert client.get("/media/secret.pdf").status_code == 404
    assert client.get("/media/../private/secret.pdf").status_code == 404
    assert client.get("/media/%2e%2e/private/secret.pdf").status_code == 404
    assert client.post("/media/secret.pdf").status_code in (403, 405)


# --- Health ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_names_a_broker_that_does_not_answer(client, monkeypatch):
    # The broker asked is the Celery app's, which reads CELERY_BROKER_URL from the environment before its settings.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "broker": "error",
        "cache": "ok",
        "tasks_waiting_for_broker": 0,
        "status": "error",
    }


@pytest.mark.django_db
def test_healthz_names_a_cache_that_does_not_answer(client):
    with mock.patch.object(cache, "get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.mark.django_db
def test_healthz_names_a_database_that_does_not_answer(client):
    with mock.patch("reuse.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
def test_a_document_of_a_private_collection_is_not_served_from_its_media_address(client):
    # Staff mark a Wagtail collection « private, signed-in users only »: Wagtail's document view then asks for a
    # sign-in, and the file's own address under /media/documents/ must not hand it out anyway.
    document = private_document()
    assert document.file.name.startswith("documents/")
    assert document.url.startswith("/documents/")
    assert client.get(document.url).status_code == 302  # to the sign-in
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.django_db
def test_a_wagtail_image_is_published_without_the_place_its_original_was_taken(client):
    # Staff put a phone photo of a workshop's open day on a page: the page shows renditions, written again from
    # the pixels; the original, with the GPS position and the phone in its EXIF, is not handed out by its address.
    import io

    from PIL import Image as PILImage
    from wagtail.images.models import Image

    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    PILImage.new("RGB", (800, 600), "green").save(out, "JPEG", exif=exif.tobytes())
    image = Image.objects.create(
        title="Portes ouvertes", file=ContentFile(out.getvalue(), name="IMG_2034.jpg"), width=800, height=600
    )
    assert image.file.name.startswith("original_images/")
    assert client.get(f"/media/{image.file.name}").status_code == 404
    rendition = image.get_rendition("fill-400x300")
    response = client.get(rendition.url)
    assert response.status_code == 200
    published = b"".join(response.streaming_content)
    assert b"SecretCam" not in published
    assert not PILImage.open(io.BytesIO(published)).getexif()
