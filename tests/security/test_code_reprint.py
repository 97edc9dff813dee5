"""A printed sign-in code that the referrer prints again: the old paper stops working, and so does its session.

The attack: someone kept (or photographed) a household's sheet and signed in with it. The household tells its
referrer, who prints a new code from the household's page: the session opened with the old code must end at its
next request, and the old code must no longer open one.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.eligibility import accredited_referrer, household_opened_by

pytestmark = pytest.mark.django_db


def printed_code(referrer_client, household) -> str:
    response = referrer_client.post(reverse("eligibility:referrer_sign_in_code", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode().split("data-sign-in-code>")[1].split("<")[0]


def signed_in_with(code: str) -> Client:
    client = Client()
    response = client.post(reverse("eligibility:code_login"), {"code": code}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302 and response["Location"] == reverse("eligibility:dashboard")
    return client


def test_printing_a_new_code_ends_the_old_codes_session_and_the_old_code():
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    referrer_client = Client()
    referrer_client.force_login(referrer)

    old = printed_code(referrer_client, household)
    intruder = signed_in_with(old)
    assert intruder.get(reverse("eligibility:dashboard")).status_code == 200

    new = printed_code(referrer_client, household)
    response = intruder.get(reverse("eligibility:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    refused = Client().post(reverse("eligibility:code_login"), {"code": old}, REMOTE_ADDR="10.0.0.8")
    assert refused.status_code == 200 and "ne marche pas" in refused.content.decode()
    assert signed_in_with(new).get(reverse("eligibility:dashboard")).status_code == 200


def test_a_code_session_ends_when_the_browser_closes():
    """A printed code is for a person without their own access, who signs in on the referrer's or a public
    computer (France Services, a library) and often leaves without « Se déconnecter ». Its session cookie is a
    browser-session one (no Expires nor Max-Age, RFC 6265 section 4.1.2.1-2): closing the browser ends it, where
    the two weeks of SESSION_COOKIE_AGE let the next person at that computer in as the household."""
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    referrer_client = Client()
    referrer_client.force_login(referrer)
    household_client = Client()
    response = household_client.post(
        reverse("eligibility:code_login"), {"code": printed_code(referrer_client, household)}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]
    # Until then the household is signed in as usual.
    assert household_client.get(reverse("eligibility:dashboard")).status_code == 200
