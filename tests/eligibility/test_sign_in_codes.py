"""Printed sign-in codes (issue 12, point 14): stored hashed, replaced, expiring, and rate-limited per code and per
address in the shared cache, without ever refusing a valid code because of someone else's failures."""

import datetime

import pytest
import time_machine
from django.core.cache.backends.filebased import FileBasedCache
from django.utils import timezone

from reuse.accounts.models import User
from reuse.eligibility import sign_in_codes
from reuse.eligibility.models import SignInCode
from reuse.errors import InvalidInput
from tests.factories.eligibility import household_opened_by

pytestmark = pytest.mark.django_db

LOGIN = "/eligibilite/connexion-code/"


def another_household(referrer, last_name):
    return household_opened_by(
        referrer, first_name="Awa", last_name=last_name, birth_date=datetime.date(1975, 2, 3)
    )


def wrong_secret(code: str) -> str:
    """The same code (same first four characters) with another secret."""
    plain = sign_in_codes.normalise(code)
    secret = "".join("B" if ch != "B" else "C" for ch in plain[4:])
    return sign_in_codes.format_code(plain[:4] + secret)


def post_code(client, code, address):
    return client.post(LOGIN, {"code": code}, REMOTE_ADDR=address)


def test_sign_in_code_works_and_is_stored_hashed(client, referrer, mandated):
    client.force_login(referrer)
    response = client.post(f"/eligibilite/prescripteur/foyers/{mandated.pk}/code/")
    page = response.content.decode()
    code = page.split("data-sign-in-code>")[1].split("<")[0]
    assert len(code) == 14 and response["Cache-Control"] == "no-store"
    stored = SignInCode.objects.get(user=mandated)
    plain = code.replace("-", "")
    assert plain not in stored.digest and stored.selector == plain[:4]
    client.logout()
    response = post_code(client, code.lower(), "10.0.0.1")
    assert response.status_code == 302 and response["Location"] == "/eligibilite/"
    assert "Mamadou" in client.get("/eligibilite/").content.decode()


def test_a_new_code_replaces_the_old_and_codes_expire(referrer, mandated):
    first = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    second = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    with pytest.raises(InvalidInput):
        sign_in_codes.sign_in_with_code(code=first, client_key="a")
    assert sign_in_codes.sign_in_with_code(code=second, client_key="a").user == mandated
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=31)):
        with pytest.raises(InvalidInput):
            sign_in_codes.sign_in_with_code(code=second, client_key="b")


def test_another_structures_code_does_not_end_the_paper_the_person_holds(referrer, mandated):
    """Two structures acting for one person each print their own paper: the second one's new code replaces only
    its own earlier codes, so it never cuts the person off from the first one's paper (nor takes its place)."""
    from tests.factories.eligibility import MandateFactory, accredited_referrer

    other_referrer, other = accredited_referrer()
    MandateFactory(household=mandated, referrer_organisation=other, referrer=other_referrer)
    ours = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    theirs = sign_in_codes.issue_sign_in_code(referrer=other_referrer, household=mandated).code
    assert sign_in_codes.sign_in_with_code(code=ours, client_key="a").mandate.referrer_organisation != other
    assert sign_in_codes.sign_in_with_code(code=theirs, client_key="a").mandate.referrer_organisation == other
    again = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    with pytest.raises(InvalidInput):
        sign_in_codes.sign_in_with_code(code=ours, client_key="b")
    assert sign_in_codes.sign_in_with_code(code=again, client_key="b").user == mandated
    assert sign_in_codes.sign_in_with_code(code=theirs, client_key="b").user == mandated


def test_a_valid_code_is_never_refused_for_another_households_failures(client, referrer, mandated):
    """A shared terminal at a social services office: many wrong codes, then someone else's right one."""
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    terminal = "192.0.2.10"
    for attempt in range(sign_in_codes.SIGN_IN_ADDRESS_MAX_FAILURES + 5):
        page = post_code(client, f"AAAA-BBBB-{attempt:04d}", terminal).content.decode()
        assert "ne marche pas" in page
    assert "beaucoup d’essais ont échoué depuis cet appareil" in page
    response = post_code(client, code, terminal)
    assert response.status_code == 302 and response["Location"] == "/eligibilite/"


def test_a_code_is_locked_after_five_wrong_secrets_whoever_types_them(client, referrer, mandated):
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    other = another_household(referrer, "Diallo")
    other_code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=other).code
    for attempt in range(sign_in_codes.SIGN_IN_CODE_MAX_FAILURES):
        assert (
            "ne marche pas" in post_code(client, wrong_secret(code), f"198.51.100.{attempt}").content.decode()
        )
    # The right secret is refused now, from anywhere, with a clear message...
    page = post_code(client, code, "203.0.113.7").content.decode()
    assert "Ce code est bloqué pendant 15 minutes" in page
    # ...while another household's code still works, from the same addresses.
    assert post_code(client, other_code, "198.51.100.0").status_code == 302
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16), tick=False):
        assert post_code(client, code, "203.0.113.7").status_code == 302


def test_counters_live_in_the_shared_cache_not_in_process_memory(referrer, mandated, settings, tmp_path):
    """Two web processes share the counts: a second cache client on the same store sees the failures."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    for _ in range(3):
        with pytest.raises(InvalidInput):
            sign_in_codes.sign_in_with_code(code=wrong_secret(code), client_key="10.1.1.1")
    elsewhere = FileBasedCache(str(tmp_path), {})
    stored = SignInCode.objects.get()
    assert elsewhere.get(f"signin-code:code:{stored.pk}") == 3
    assert sum(1 for key in (tmp_path).iterdir()) == 2  # one counter per code, one per address


def test_the_printed_code_sheet_is_in_the_household_language_not_the_referrer(client, referrer, mandated):
    User.objects.filter(pk=mandated.pk).update(language="en")
    client.force_login(referrer)
    page = client.post(f"/eligibilite/prescripteur/foyers/{mandated.pk}/code/").content.decode()
    sheet = page.split('data-sheet-language="en">')[1].split("</article>")[0]
    assert "To get into your Rebond space:" in sheet and "Pour entrer dans votre espace Rebond" not in sheet
    assert (
        "Imprimez cette page maintenant" in page
    )  # the referrer's own words stay in the referrer's language
