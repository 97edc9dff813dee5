"""A script calling the API with a token has no session and no language cookie: the refusals it reads are in its
owner's account language (as the emails Rebond sends them), unless the request asks for another one."""

import pytest

from reuse.accounts.services import issue_api_token
from tests.factories.accounts import OrganisationFactory, member_of


@pytest.fixture
def english_token(db):
    user = member_of(OrganisationFactory(open_workshop=True))
    user.language = "en"
    user.save(update_fields=["language"])
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def test_a_refusal_is_in_the_token_owners_language(client, english_token):
    response = client.get("/api/v1/devices/987654321", headers=english_token)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    # A script has no browser: nothing to remember in a cookie.
    assert "django_language" not in response.cookies


def test_a_query_with_a_nul_is_refused_in_the_token_owners_language(client, english_token):
    response = client.get("/api/v1/devices", {"serial": "a\x00b"}, headers=english_token)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The data sent contains a null character")


def test_the_language_the_request_asks_for_wins_over_the_sites(client, db):
    user = member_of(OrganisationFactory(open_workshop=True))
    headers = {"Authorization": f"Bearer {issue_api_token(user=user)}", "Accept-Language": "en"}

    response = client.get("/api/v1/devices/987654321", headers=headers)

    assert response.json()["detail"] == "Not found."


def test_a_signed_in_persons_query_with_a_nul_is_refused_in_their_language(client, db):
    user = member_of(OrganisationFactory(open_workshop=True))
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)

    response = client.get("/api/v1/devices", {"serial": "a\x00b"})

    assert response.json()["detail"].startswith("The data sent contains a null character")
