"""Static files as production serves them to a slow phone: collected by the production storage
(whitenoise.storage.CompressedManifestStaticFilesStorage, reuse/settings/production.py), referenced by hashed
names, served by WhiteNoise with a cache lifetime of ten years marked immutable, and compressed (gzip, and brotli
where the Brotli package is installed) for the stylesheets and scripts, as WhiteNoise's documentation describes
(« Using WhiteNoise with Django », « Add compression and caching support »)."""

import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

ASSETS = ["css/rebond.css", "js/claims-pay.js", "js/upload-limit.js"]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    from django.conf import settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The site's own files only (Wagtail's admin files take minutes to compress and are not what households load).
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=storages,
        DEBUG=False,
        WHITENOISE_AUTOREFRESH=False,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATICFILES_DIRS=[settings.BASE_DIR / "reuse" / "static"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def served(path: str, encoding: str):
    middleware = WhiteNoiseMiddleware(lambda request: pytest.fail(f"{path} not served by WhiteNoise"))
    return middleware(RequestFactory().get(path, HTTP_ACCEPT_ENCODING=encoding))


@pytest.mark.parametrize("name", ASSETS)
def test_pages_reference_hashed_names_served_for_ten_years(collected, name):
    url = static(name)
    assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
    response = served(url, "gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"


@pytest.mark.parametrize("name", ASSETS)
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_stylesheets_and_scripts_are_sent_compressed(collected, name, encoding):
    response = served(static(name), f"{encoding}, deflate")
    assert response.get("Content-Encoding") == encoding
    assert response["Vary"] == "Accept-Encoding"
    plain = (collected / static(name).removeprefix("/static/")).stat().st_size
    assert int(response["Content-Length"]) < plain / 2


def test_production_installs_brotli_so_collectstatic_writes_the_br_files():
    """WhiteNoise writes .br files only when the Brotli package is importable where collectstatic runs: the
    production image installs requirements.lock alone."""
    from django.conf import settings

    lock = (settings.BASE_DIR / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^brotli==", lock, re.MULTILINE), "brotli is missing from requirements.lock"
