"""Acting on a household's behalf (issue 12, point 1): sign-in codes, their sessions, mandate renewals, notices.

The attack: a referrer with a mandate scoped to eligibility prints a code for a household that has its own email
and password, signs in as the household and cancels its claim; after the household withdraws the mandate, the
referrer alone "renews" it with wider scopes and prints a new code. The household is told nothing.
"""

import re
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import Notification
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility import sign_in_codes
from reuse.eligibility.enums import ConsentMethod, JournalAction, MandateScope
from reuse.eligibility.models import Mandate, SignInCode
from reuse.eligibility.services import decisions, mandates
from reuse.errors import Forbidden, NotFound
from tests.factories.accounts import PASSWORD, household
from tests.factories.eligibility import MandateFactory, accredited_referrer, eligible, household_opened_by
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def person_without_access(referrer, scopes, **names):
    return household_opened_by(referrer, scopes=scopes, **names)


def mandate_in_person(referrer, person, scopes):
    """A mandate signed in person in the past (as before accounts could accept one themselves)."""
    organisation = referrer.memberships.get().organisation
    return MandateFactory(
        household=person, referrer_organisation=organisation, referrer=referrer, scopes=scopes
    )


def sign_in_with(client, code, address="10.0.0.1"):
    return client.post(reverse("eligibility:code_login"), {"code": code}, REMOTE_ADDR=address)


def api(client, method, path, body=None):
    import json

    return client.generic(
        method, path, json.dumps(body) if body is not None else "", content_type="application/json"
    )


# --- codes only for households without credentials, only under a running mandate ----------------------------


def test_no_code_is_printed_for_a_household_with_its_own_email_and_password(client, referrer, programme):
    person = household(postcode="93200", email="nadia@example.test")
    mandate_in_person(referrer, person, [MandateScope.ELIGIBILITY])
    client.force_login(referrer)
    page = client.get(reverse("eligibility:referrer_household", args=[person.pk])).content.decode()
    assert "Imprimer un code de connexion" not in page and "elle se connecte elle-même" in page
    response = client.post(reverse("eligibility:referrer_sign_in_code", args=[person.pk]), follow=True)
    assert "Un code de connexion ne peut pas lui être imprimé" in response.content.decode()
    assert not SignInCode.objects.exists()
    with pytest.raises(Forbidden) as refused:
        sign_in_codes.issue_sign_in_code(referrer=referrer, household=person)
    assert refused.value.code == "has_own_credentials"
    # A password alone is an access of one's own too.
    person.email = None
    person.save()
    with pytest.raises(Forbidden):
        sign_in_codes.issue_sign_in_code(referrer=referrer, household=person)


def test_no_code_without_a_running_mandate_of_the_referrers_organisation(referrer, mandated):
    from tests.factories.eligibility import accredited_referrer

    stranger, _organisation = accredited_referrer()
    with pytest.raises(NotFound):
        sign_in_codes.issue_sign_in_code(referrer=stranger, household=mandated)
    mandates.revoke_mandate(mandate=mandated.mandates.get(), by=mandated)
    with pytest.raises(NotFound):
        sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)


def test_a_code_that_gets_own_credentials_no_longer_opens_a_session(client, referrer, mandated):
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    assert sign_in_with(client, issued.code).status_code == 302
    mandated.set_password(PASSWORD)
    mandated.save()
    # The open session ends at the next request, and the code no longer opens one.
    response = client.get(reverse("eligibility:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    client.logout()
    assert "propre accès" in sign_in_with(client, issued.code).content.decode()


# --- a code session does only what its mandate covers ---------------------------------------------------------


def test_a_code_session_cannot_do_what_the_mandate_scope_does_not_cover(client, referrer, programme):
    person = person_without_access(referrer, [MandateScope.ELIGIBILITY])
    eligible(person, programme=programme)
    claim = reservations.create_claim(actor=person, device_id=DeviceFactory(listed=True, price_cents=2500).pk)
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=person)
    assert sign_in_with(client, issued.code).status_code == 302

    page = client.get(reverse("eligibility:dashboard")).content.decode()
    assert "data-code-session" in page and "Vérifier l’éligibilité" in page
    # Claims are outside an eligibility mandate: not visible, not cancellable, no new one, no waitlist.
    assert client.get(reverse("claims:claim", args=[claim.pk])).status_code == 404
    assert client.post(reverse("claims:cancel", args=[claim.pk])).status_code == 404
    assert api(client, "POST", f"/api/v1/claims/{claim.pk}/cancel").status_code == 404
    assert api(client, "GET", f"/api/v1/claims/{claim.pk}").status_code == 404
    refused = api(client, "POST", "/api/v1/claims", {"device_id": DeviceFactory(listed=True).pk})
    assert refused.status_code == 403 and refused.json()["code"] == "mandate_scope"
    assert "pas « Demander un appareil »" in refused.json()["detail"]
    device = DeviceFactory(listed=True)
    page = client.post(reverse("claims:claim_device", args=[device.pk]), {"voucher_code": ""})
    assert page.status_code == 403 and "code de connexion" in page.content.decode()
    # The waiting list holds claims waiting for a device: a 404, as the claim pages.
    assert client.post(reverse("claims:waitlist"), {"device_type": "laptop"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED and Claim.objects.count() == 1
    # What the mandate covers works: the household answers the eligibility questions itself.
    decision = api(client, "POST", "/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "document"})
    assert decision.status_code == 201


def test_a_claims_only_code_session_cannot_decide_eligibility(client, referrer, programme):
    person = person_without_access(referrer, [MandateScope.CLAIMS])
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=person)
    sign_in_with(client, issued.code)
    response = api(client, "POST", "/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "document"})
    assert response.status_code == 403 and response.json()["code"] == "mandate_scope"


def test_a_code_session_ends_when_the_mandate_is_withdrawn_or_ends(client, referrer, mandated):
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    sign_in_with(client, issued.code)
    assert client.get(reverse("eligibility:dashboard")).status_code == 200
    mandates.revoke_mandate(mandate=issued.mandate, by=referrer)
    response = client.get(reverse("eligibility:dashboard"))
    assert response.status_code == 302
    assert SignInCode.objects.get().revoked_at is not None
    # A mandate that simply ends takes its codes and sessions with it too.
    mandates.renew_mandate(
        referrer=referrer, household=mandated, scopes=["eligibility"], months=1, consent_given=True
    )
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    sign_in_with(client, issued.code)
    assert client.get(reverse("eligibility:dashboard")).status_code == 200
    Mandate.objects.filter(pk=issued.mandate.pk).update(expires_at=timezone.now())
    assert client.get(reverse("eligibility:dashboard")).status_code == 302
    refused = sign_in_with(client, issued.code).content.decode()
    assert "le mandat sous lequel il a été imprimé a pris fin" in refused


def test_a_code_session_cannot_accept_a_mandate(referrer, mandated):
    from reuse.policy.mandates import open_code_session

    request = MandateFactory(
        requested=True,
        household=mandated,
        referrer_organisation=mandated.mandates.get().referrer_organisation,
        referrer=referrer,
        scopes=["claims"],
        months=6,
        expires_at=timezone.now(),
    )
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    open_code_session(mandated, SignInCode.objects.get(mandate=issued.mandate))
    with pytest.raises(Forbidden):
        mandates.accept_mandate(mandate=request, household=mandated)


def test_a_code_session_withdraws_only_the_mandate_its_code_was_printed_under(client, referrer, mandated):
    """Whoever holds a code one structure printed (its referrer, perhaps) cannot end another structure's mandate
    in the person's name: that one is withdrawn by asking the structure, or with the person's own access."""
    other_referrer, other = accredited_referrer()
    theirs = MandateFactory(household=mandated, referrer_organisation=other, referrer=other_referrer)
    issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    sign_in_with(client, issued.code)
    page = client.get(reverse("eligibility:dashboard")).content.decode()
    assert reverse("eligibility:revoke_mandate", args=[theirs.pk]) not in page
    refused = client.post(reverse("eligibility:revoke_mandate", args=[theirs.pk]), follow=True)
    assert "demandez-le à cette structure" in refused.content.decode()
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    client.post(reverse("eligibility:revoke_mandate", args=[issued.mandate.pk]))
    issued.mandate.refresh_from_db()
    assert issued.mandate.revoked_at is not None


# --- a withdrawn mandate is never renewed without the household's new consent ---------------------------------


def test_a_withdrawn_mandate_is_renewed_only_once_the_household_accepts_it(
    client, referrer, programme, django_capture_on_commit_callbacks
):
    person = household(postcode="93200", email="nadia@example.test")
    old = mandate_in_person(referrer, person, [MandateScope.ELIGIBILITY])
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("eligibility:revoke_mandate", args=[old.pk]))

    client.force_login(referrer)
    renew = reverse("eligibility:referrer_mandate_renew", args=[person.pk])
    form = client.get(renew).content.decode()
    assert "Envoyer la demande de mandat" in form and 'name="consent"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(renew, {"scopes": ["eligibility", "claims"], "months": "24"})
    assert response.status_code == 302
    assert (
        "en attente de son accord" in client.get(reverse("eligibility:referrer_dashboard")).content.decode()
    )
    request = Mandate.objects.exclude(pk=old.pk).get(household=person)
    assert request.is_pending and not request.is_active and request.consented_at is None
    # Nothing runs yet: no attestation, no claim, no code, no household page for the referrer.
    assert mandates.active_mandate(referrer=referrer, household=person, scope="claims") is None
    assert client.get(reverse("eligibility:referrer_household", args=[person.pk])).status_code == 404
    with pytest.raises(NotFound):
        decisions.attest(referrer=referrer, household=person, criteria=["rsa"])
    with pytest.raises(NotFound):
        sign_in_codes.issue_sign_in_code(referrer=referrer, household=person)
    # The referrer cannot record the consent in the person's place either.
    with pytest.raises(Forbidden):
        mandates.record_mandate(
            referrer=referrer, household=person, scopes=["claims"], months=12, consent_given=True
        )
    with pytest.raises(NotFound):
        mandates.accept_mandate(mandate=request, household=referrer)

    # The household is told, and accepts in its own space.
    told = Notification.objects.filter(to_email="nadia@example.test", template="mandate_changed")
    assert told.filter(subject__contains="vous demande un mandat").exists()
    client.force_login(person)
    dashboard = client.get(reverse("eligibility:dashboard")).content.decode()
    assert "data-mandate-request" in dashboard and "J’accepte ce mandat" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("eligibility:accept_mandate", args=[request.pk]))
    request.refresh_from_db()
    assert request.is_active and request.scopes == ["eligibility", "claims"]
    assert request.consent_method == ConsentMethod.HOUSEHOLD_ACCOUNT
    assert request.consent_recorded_by == person and request.consented_at is not None
    assert request.journal.filter(action=JournalAction.MANDATE_ACCEPTED, actor=person).exists()
    assert mandates.active_mandate(referrer=referrer, household=person, scope="claims") == request
    client.force_login(referrer)
    printed = client.get(reverse("eligibility:referrer_mandate_print", args=[request.pk])).content.decode()
    assert "Accepté par la personne dans son espace Rebond, le" in printed


def test_a_household_may_refuse_a_request(client, referrer):
    person = household(postcode="93200")
    old = mandate_in_person(referrer, person, [MandateScope.ELIGIBILITY])
    mandates.revoke_mandate(mandate=old, by=person)
    request = mandates.renew_mandate(referrer=referrer, household=person, scopes=["claims"], months=6)
    client.force_login(person)
    client.post(reverse("eligibility:refuse_mandate", args=[request.pk]))
    request.refresh_from_db()
    assert request.revoked_at is not None and request.consented_at is None
    assert mandates.active_mandate(referrer=referrer, household=person, scope="claims") is None
    client.force_login(referrer)
    assert "Demande refusée le" in client.get(reverse("eligibility:referrer_dashboard")).content.decode()


def test_a_consent_given_in_the_households_space_is_the_households_in_the_database(referrer):
    person = household(postcode="93200")
    mandate = mandate_in_person(referrer, person, ["eligibility"])
    mandate.consent_method = ConsentMethod.HOUSEHOLD_ACCOUNT
    with pytest.raises(IntegrityError), transaction.atomic():
        mandate.save()  # recorded by the referrer: refused by the check constraint


def test_a_person_without_access_renews_in_person_and_the_consent_is_recorded(referrer, mandated):
    old = mandated.mandates.get()
    mandates.revoke_mandate(mandate=old, by=mandated)
    renewed = mandates.renew_mandate(
        referrer=referrer,
        household=mandated,
        scopes=["eligibility"],
        months=6,
        consent_given=True,
        consent_method=ConsentMethod.ON_SCREEN,
        signed_name="Mamadou Traoré",
    )
    assert renewed.is_active and renewed.consent_method == ConsentMethod.ON_SCREEN
    assert renewed.consent_recorded_by == referrer and renewed.signed_name == "Mamadou Traoré"
    assert renewed.consented_at is not None


# --- the household is told of every code and every mandate change ---------------------------------------------


def test_a_household_with_email_is_emailed_every_mandate_change(referrer, django_capture_on_commit_callbacks):
    person = household(postcode="93200", email="lea@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        old = mandate_in_person(referrer, person, ["eligibility"])
        mandates.revoke_mandate(mandate=old, by=referrer)
        request = mandates.renew_mandate(referrer=referrer, household=person, scopes=["claims"], months=3)
        mandates.accept_mandate(mandate=request, household=person)
        mandates.revoke_mandate(mandate=request, by=person)
    subjects = list(
        Notification.objects.filter(to_email="lea@example.test", template="mandate_changed")
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        f"Rebond : mandat révoqué ({old.referrer_organisation.name})",
        f"Rebond : {old.referrer_organisation.name} vous demande un mandat",
        f"Rebond : mandat accepté par la personne ({old.referrer_organisation.name})",
        f"Rebond : mandat révoqué ({old.referrer_organisation.name})",
    ]


def test_a_household_without_email_reads_every_change_on_its_next_code_sheet(client, referrer, mandated):
    client.force_login(referrer)
    url = reverse("eligibility:referrer_sign_in_code", args=[mandated.pk])
    first = client.post(url).content.decode()
    assert "Mandat enregistré" in first
    # A code printed and kept by someone else, then a new mandate: the next sheet tells the person both.
    sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    mandates.renew_mandate(
        referrer=referrer, household=mandated, scopes=["eligibility"], months=6, consent_given=True
    )
    sheet = client.post(url).content.decode()
    notices = re.search(r"<ul data-sheet-notices>(.*?)</ul>", sheet, re.S).group(1)
    assert notices.count("Code de connexion imprimé") == 2
    assert "Mandat enregistré" in notices and "Mandat révoqué" in notices
    assert "remplacé par le mandat renouvelé" in notices


# --- one policy function -----------------------------------------------------------------------------------


def test_only_the_mandate_policy_reads_a_mandates_scope():
    """Every action on a household's behalf goes through reuse/policy/mandates.py: nothing else reads scopes."""
    allowed = {ROOT / "reuse/policy/mandates.py", ROOT / "reuse/eligibility/models/mandates.py"}
    pattern = re.compile(r"\.covering\(|in \(?\w+\.scopes|\.scopes\s*(?:or|\))|scopes__contains")
    offenders = []
    for folder in ("reuse", "donations", "inventory", "cms"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path in allowed:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_a_claims_only_code_session_reads_only_the_summary_of_the_decision(client, referrer, programme):
    """The referrer who printed the code may be the one typing it: under a claims-only mandate the session reads
    what the referrer reads (tests/security/test_claims_only_mandate.py), never the criteria (an AAH tells a
    disability)."""
    person = person_without_access(referrer, [MandateScope.CLAIMS])
    eligible(person, programme=programme)
    decision = person.eligibility_decisions.get()
    sign_in_with(client, sign_in_codes.issue_sign_in_code(referrer=referrer, household=person).code)
    assert client.get(reverse("eligibility:decision", args=[decision.pk])).status_code == 404
    assert client.get(reverse("tripod:offers", args=[decision.pk])).status_code == 404
    assert api(client, "GET", f"/api/v1/eligibility/{decision.pk}").status_code == 404
    page = client.get(reverse("eligibility:dashboard")).content.decode()
    assert "Vous avez droit aux appareils solidaires." in page and programme.name in page
    assert reverse("eligibility:decision", args=[decision.pk]) not in page and "Pourquoi" not in page
    assert "code de connexion qui ne couvre pas l’éligibilité" in page
