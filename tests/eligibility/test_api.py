import pytest

from reuse.accounts.enums import OrganisationKind
from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.eligibility.services import decisions, mandates
from tests.factories.accounts import OrganisationFactory, household, member_of

pytestmark = pytest.mark.django_db

NEW_HOUSEHOLD = {
    "first_name": "Awa",
    "last_name": "Koné",
    "birth_date": "1980-02-29",
    "postcode": "93200",
    "household_size": 3,
    "mandate": {"scope": ["eligibility", "claims"], "months": 6},
}


def test_referrer_creates_a_household_without_email_then_attests_rsa(client, api_client, referrer, programme):
    client.force_login(referrer)
    response = api_client.post("/api/v1/households", NEW_HOUSEHOLD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_email"] is False and body["mandate"]["scope"] == ["eligibility", "claims"]
    assert body["eligibility"] is None
    listed = api_client.get("/api/v1/households").json()
    assert [item["id"] for item in listed] == [body["id"]]

    response = api_client.post(
        "/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "attestation", "beneficiary_id": body["id"]}
    )
    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["status"] == "eligible" and decision["expires_at"] and decision["reasons"]


def test_eligibility_rejects_unknown_criteria_and_unaccepted_evidence(client, api_client, programme):
    person = household()
    client.force_login(person)
    response = api_client.post("/api/v1/eligibility", {"criteria": ["nir"], "evidence": "document"})
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    response = api_client.post("/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "declaration"})
    assert response.status_code == 403 and response.json()["code"] == "evidence_not_accepted"
    response = api_client.post("/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "document"})
    assert response.status_code == 201 and response.json()["status"] == "pending"


def test_household_sees_only_itself(client, api_client, referrer, mandated, programme):
    decision = decisions.attest(referrer=referrer, household=mandated, criteria=["rsa"])
    other = household()
    client.force_login(other)
    assert api_client.get(f"/api/v1/eligibility/{decision.pk}").status_code == 404
    response = api_client.post(
        "/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "document", "beneficiary_id": mandated.pk}
    )
    assert response.status_code == 404
    client.force_login(mandated)
    assert api_client.get(f"/api/v1/eligibility/{decision.pk}").json()["status"] == "eligible"


def test_referrer_sees_only_mandated_households(client, api_client, referrer, mandated, programme):
    stranger = household()
    client.force_login(referrer)
    ids = [item["id"] for item in api_client.get("/api/v1/households").json()]
    assert ids == [mandated.pk]
    response = api_client.post(
        "/api/v1/eligibility", {"criteria": ["rsa"], "evidence": "attestation", "beneficiary_id": stranger.pk}
    )
    assert response.status_code == 404
    # Once the mandate is revoked, the household disappears from the referrer's view.
    mandates.revoke_mandate(mandate=Mandate.objects.get(household=mandated), by=mandated)
    assert api_client.get("/api/v1/households").json() == []


@pytest.mark.parametrize("kind", [OrganisationKind.DONOR, OrganisationKind.WORKSHOP])
def test_donor_and_workshop_see_nothing_of_eligibility(
    client, api_client, kind, referrer, mandated, programme
):
    decision = decisions.attest(referrer=referrer, household=mandated, criteria=["rsa"])
    outsider = member_of(OrganisationFactory(kind=kind))
    client.force_login(outsider)
    assert api_client.get("/api/v1/households").json() == []
    assert api_client.get(f"/api/v1/eligibility/{decision.pk}").status_code == 404
    response = api_client.post("/api/v1/households", NEW_HOUSEHOLD)
    assert response.status_code == 403
    assert client.get(f"/eligibilite/decisions/{decision.pk}/").status_code == 404
    assert client.get(f"/eligibilite/prescripteur/foyers/{mandated.pk}/").status_code == 404
    assert client.get("/eligibilite/").status_code == 404


def test_staff_see_all_households(client, api_client, staff, mandated):
    client.force_login(staff)
    assert mandated.pk in [item["id"] for item in api_client.get("/api/v1/households").json()]


def test_api_requires_authentication(api_client):
    assert api_client.get("/api/v1/households").status_code == 401


def test_never_a_nir_field_in_the_schema(db):
    fields = {field.name for model in (EligibilityDecision, Mandate) for field in model._meta.get_fields()}
    assert not {"nir", "social_security_number"} & fields


def test_a_person_who_is_no_household_is_told_so_in_their_language(client):
    worker = member_of(OrganisationFactory(kind=OrganisationKind.DONOR))
    client.force_login(worker)
    body = {"criteria": ["rsa"], "evidence": "attestation"}

    french = client.post(
        "/api/v1/eligibility", body, content_type="application/json", headers={"Accept-Language": "fr"}
    )
    english = client.post(
        "/api/v1/eligibility", body, content_type="application/json", headers={"Accept-Language": "en"}
    )

    assert french.status_code == english.status_code == 403
    assert french.json()["detail"] == "Seul un foyer, ou son prescripteur, peut demander une décision."
    assert english.json()["detail"] == "Only a household, or its referrer, can ask for a decision."
