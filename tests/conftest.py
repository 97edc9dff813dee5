import shutil

import pytest
from django.core.management import call_command

from reuse.accounts.demo import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _isolated_media(settings):
    """Every test writes uploads into throwaway folders."""
    yield
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached site chrome must never leak from one test's database into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_lockouts(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _eager_celery_outside_the_services_pass(request):
    """Tests run tasks in-process, except those of the services pass, which send them to a real worker."""
    from reuse.celery import app

    if request.node.get_closest_marker("services"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def demo(db):
    """The demo data, as `seed_demo` builds it."""
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    return DEMO_PASSWORD


@pytest.fixture
def api_client(client):
    """A test client that talks JSON."""

    class JsonClient:
        def __init__(self, django_client, token=None):
            self.client = django_client
            self.token = token

        def _headers(self, headers):
            headers = dict(headers or {})
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            return headers

        def get(self, path, headers=None, **params):
            return self.client.get(path, params, headers=self._headers(headers))

        def post(self, path, data=None, headers=None):
            return self.client.post(
                path, data or {}, content_type="application/json", headers=self._headers(headers)
            )

        def patch(self, path, data=None, headers=None):
            return self.client.patch(
                path, data or {}, content_type="application/json", headers=self._headers(headers)
            )

        def with_token(self, token):
            return JsonClient(self.client, token)

    return JsonClient(client)


def pytest_collection_modifyitems(config, items):
    # Tests under tests/services and tests/browser need the real services; mark them by folder.
    for item in items:
        path = str(item.fspath)
        if "/tests/services/" in path:
            item.add_marker(pytest.mark.services)
        if "/tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.services)
