"""What the site answers to a signed-in person is kept by no cache (reuse.middleware.PrivateAnswersMiddleware):
RFC 9111 section 5.2.2.5, no-store, and private for caches that ignore it. The pages and the API called from a
session are checked by the access matrices; here, the API called by a script or a browser tool with a bearer
token (Authorization: Bearer, RFC 6750 section 2.1), which has no session at all: a referrer's tool listing its
households on a France Services computer leaves them in that browser's cache otherwise."""

import pytest
from django.test import Client

from reuse.accounts.services import issue_api_token
from reuse.eligibility.enums import MandateScope
from tests.factories.eligibility import accredited_referrer, household_opened_by

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/households", "/api/v1/me"])
def test_an_api_answer_to_a_bearer_token_is_kept_by_no_cache(path):
    referrer, _organisation = accredited_referrer()
    household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=referrer)}")
    assert response.status_code == 200 and ("Mamadou" in response.content.decode() or path == "/api/v1/me")
    kept = response.get("Cache-Control", "")
    assert "no-store" in kept and "private" in kept, kept


def test_a_public_api_answer_without_credentials_may_be_kept():
    response = Client().get("/api/v1/open-data/lieux.csv")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
