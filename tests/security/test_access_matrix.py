"""The access matrix: every URL of the project and every API operation, for every kind of person.

Routes are read from the URL resolver and operations from the OpenAPI document, so a new route or operation
without an entry here fails the suite. Objects belong to the "own" organisation of the person who should see
them; everyone else must get 404 (never 403: nobody learns that another organisation's object exists).
"""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reuse.accounts.enums import OrganisationKind
from reuse.api import api
from tests.factories import HouseholdFactory, OrganisationFactory, UserFactory, member_of

IDENTITIES = [
    "anonymous",
    "household",
    "referrer",
    "association",
    "donor",
    "workshop",
    "reviewer",
    "coordinator",
]
OUR_NAMESPACES = {"accounts", "donations", "inventory", "eligibility", "claims", "cms"}
# Routes served by third parties and checked elsewhere (Wagtail admin, documents, i18n, sitemap, robots, health).
OUTSIDE = {"set_language", "sitemap", "robots_txt", "healthz"}


class World:
    """One person per identity, each with an organisation of their kind, plus the objects the matrix needs."""

    def __init__(self):
        self.users = {"anonymous": None}
        self.orgs = {}
        for identity, kind in [
            ("referrer", OrganisationKind.REFERRER),
            ("association", OrganisationKind.ASSOCIATION),
            ("donor", OrganisationKind.DONOR),
            ("workshop", OrganisationKind.WORKSHOP),
        ]:
            traits = {"association": True} if kind == OrganisationKind.ASSOCIATION else {"kind": kind}
            self.orgs[identity] = OrganisationFactory(**traits)
            self.users[identity] = member_of(self.orgs[identity])
        self.users["household"] = HouseholdFactory().user
        reviewer = UserFactory(is_staff=True)
        reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
        self.users["reviewer"] = reviewer
        coordinator = UserFactory(is_staff=True, is_superuser=True)
        coordinator.groups.add(Group.objects.get_or_create(name="Coordinators")[0])
        self.users["coordinator"] = coordinator


def expect(default, **by_identity):
    """Expected status per identity: `default` for everyone not named."""
    return {identity: by_identity.get(identity, default) for identity in IDENTITIES}


SIGNED_IN = expect(200, anonymous=302)

# url name -> (kwargs builder, expected status per identity). 302 for anonymous means "sent to sign in".
PAGES = {
    "accounts:login": (None, expect(200, **{i: 302 for i in IDENTITIES if i != "anonymous"})),
    "accounts:home": (None, expect(200, anonymous=302, reviewer=302, coordinator=302)),
    "accounts:organisation": (
        lambda w: {"pk": w.orgs["donor"].pk},
        expect(404, anonymous=302, donor=200, coordinator=200, reviewer=200),
    ),
    "accounts:password_reset": (None, expect(200)),
    "accounts:password_reset_done": (None, expect(200)),
    "accounts:password_reset_complete": (None, expect(200)),
    "accounts:password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "set-password"}, expect(200)),
    "accounts:logout": (None, expect(405)),
}

# "METHOD /path" -> (path kwargs builder, expected status per identity), for a request without a body.
OPERATIONS = {
    "GET /api/v1/me": (None, expect(200, anonymous=401)),
    "GET /api/v1/organisations": (None, expect(200, anonymous=401)),
    "GET /api/v1/organisations/{organisation_id}": (
        lambda w: {"organisation_id": w.orgs["donor"].pk},
        expect(404, anonymous=401, donor=200, reviewer=200, coordinator=200),
    ),
}


def named_routes(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def project_routes():
    return {name for name in named_routes() if name.split(":")[0] in OUR_NAMESPACES and ":" in name}


def api_operations():
    document = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_project_route_is_in_the_matrix():
    missing = project_routes() - set(PAGES)
    assert not missing, f"Routes without an access-matrix entry: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    missing = api_operations() - set(OPERATIONS)
    assert not missing, f"API operations without an access-matrix entry: {sorted(missing)}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (like setUpTestData) and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(db, world, name):
    builder, expected = PAGES[name]
    url = reverse(name, kwargs=builder(world) if builder else None)
    wrong = []
    for identity in IDENTITIES:
        response = client_for(world.users[identity]).get(url)
        if response.status_code != expected[identity]:
            wrong.append(f"{identity}: {response.status_code} (expected {expected[identity]})")
        elif response.status_code == 302 and identity == "anonymous" and name != "accounts:login":
            if not response["Location"].startswith(reverse("accounts:login")):
                wrong.append(f"anonymous sent to {response['Location']} instead of the sign-in page")
    assert not wrong, f"{name} {url}: " + "; ".join(wrong)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api_access(db, world, operation):
    builder, expected = OPERATIONS[operation]
    method, path = operation.split(" ", 1)
    path = path.format(**(builder(world) if builder else {}))
    wrong = []
    for identity in IDENTITIES:
        response = client_for(world.users[identity]).generic(method, path)
        if response.status_code != expected[identity]:
            wrong.append(f"{identity}: {response.status_code} (expected {expected[identity]})")
        elif response.status_code >= 400 and not {"detail", "code"} <= set(response.json()):
            wrong.append(f"{identity}: error body {response.content[:100]!r} is not in the API error format")
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)
