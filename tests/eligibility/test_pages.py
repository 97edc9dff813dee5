import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.eligibility.services import accreditations, associations, decisions
from reuse.programmes.models import Programme
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import household
from tests.factories.programmes import ProgrammeFactory, admin_form, admin_price_rows
from tests.test_signups import ASSOCIATION

pytestmark = pytest.mark.django_db


# A household signing up on its own (birth date added per test).
SIGNUP = {
    "first_name": "Inès",
    "last_name": "Petit",
    "email": "ines@example.test",
    "password": "un-mot-de-passe-solide",
    "postcode": "93200",
    "household_size": 2,
}


def test_household_signs_up_and_the_questionnaire_asks_one_question_per_screen(client):
    ProgrammeFactory(every_check=True, declarations=True)
    response = client.post("/eligibilite/inscription/", {**SIGNUP, "birth_date": "1990-01-02"})
    assert response.status_code == 302 and response["Location"] == "/eligibilite/questionnaire/"
    page = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert "Recevez-vous une aide ?" in page and page.count("<fieldset") == 1
    # No aid: the next screen asks for the quotient familial.
    client.post("/eligibilite/questionnaire/", {"step": "aids"})
    page = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert "Votre quotient familial" in page and "700\u00a0€" in page
    client.post("/eligibilite/questionnaire/", {"step": "qf", "quotient_familial_eur": "640"})
    page = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert "Comment le prouver ?" in page
    response = client.post("/eligibilite/questionnaire/", {"step": "evidence", "evidence": "declaration"})
    decision = EligibilityDecision.objects.get()
    assert response["Location"] == f"/eligibilite/decisions/{decision.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert decision.status == "eligible" and "Valable jusqu’au" in page and "640\u00a0€" in page
    dashboard = client.get("/eligibilite/").content.decode()
    assert 'href="/catalogue/"' in dashboard and 'href="/demandes/"' in dashboard


def test_questionnaire_with_a_document_ends_pending(client, programme):
    person = household()
    client.force_login(person)
    client.get("/eligibilite/questionnaire/")
    client.post("/eligibilite/questionnaire/", {"step": "aids", "aids": ["rsa"]})
    client.post("/eligibilite/questionnaire/", {"step": "evidence", "evidence": "document"})
    page = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert 'enctype="multipart/form-data"' in page
    bad = client.post(
        "/eligibilite/questionnaire/", {"step": "document", "file": SimpleUploadedFile("x.pdf", b"hello")}
    )
    assert "ni un PDF" in bad.content.decode()
    response = client.post(
        "/eligibilite/questionnaire/", {"step": "document", "file": SimpleUploadedFile("caf.pdf", PDF)}
    )
    decision = EligibilityDecision.objects.get(beneficiary=person)
    assert response.status_code == 302 and decision.status == "pending"
    assert "en cours d’examen" in client.get(response["Location"]).content.decode()


# A referrer creates a household without email, with its consent given on screen (birth date added per test).
REFERRER_FORM = {
    "first_name": "Fatou",
    "last_name": "Sow",
    "postcode": "93300",
    "household_size": "4",
    "email": "",
    "scopes": ["eligibility", "claims"],
    "months": "12",
    "consent_method": "on_screen",
    "signed_name": "Fatou Sow",
    "consent": "on",
}


def test_referrer_web_journey_creates_household_records_mandate_attests(client, referrer, programme):
    client.force_login(referrer)
    assert client.get("/compte/espace/")["Location"] == "/eligibilite/prescripteur/"
    response = client.post(
        "/eligibilite/prescripteur/foyers/nouveau/", {**REFERRER_FORM, "birth_date": "1975-07-14"}
    )
    assert response.status_code == 302, response.content.decode()
    mandate = Mandate.objects.get(household__last_name="Sow")
    household_page = client.get(response["Location"]).content.decode()
    assert "sans adresse e-mail" in household_page
    response = client.post(
        f"/eligibilite/prescripteur/foyers/{mandate.household_id}/attester/",
        {"criteria": ["rsa"], "verified": "on"},
    )
    decision = EligibilityDecision.objects.get(beneficiary=mandate.household)
    assert decision.status == "eligible" and decision.mandate == mandate
    page = client.get(response["Location"]).content.decode()
    # The referrer reads the decision about the person, not addressed to them as if they were the household.
    assert "Fatou Sow a droit aux appareils solidaires" in page and "Attestation d’un prescripteur" in page
    assert "Vous avez droit" not in page
    printed = client.get(f"/eligibilite/prescripteur/mandats/{mandate.pk}/").content.decode()
    assert "Fatou Sow (signé à l’écran)" in printed
    # The household reads the journal on its own page.
    client.force_login(mandate.household)
    dashboard = client.get("/eligibilite/").content.decode()
    assert "Éligibilité attestée" in dashboard and "Mandat enregistré" in dashboard


def test_mandate_without_consent_is_refused(client, referrer, programme):
    client.force_login(referrer)
    response = client.post(
        "/eligibilite/prescripteur/foyers/nouveau/",
        {
            "first_name": "A",
            "last_name": "B",
            "birth_date": "1975-07-14",
            "postcode": "93300",
            "household_size": "1",
            "scopes": ["eligibility"],
            "months": "12",
            "consent_method": "printed",
        },
    )
    assert response.status_code == 200 and "Sans l’accord de la personne" in response.content.decode()
    assert not Mandate.objects.exists()


def test_household_can_revoke_a_mandate(client, referrer, mandated):
    client.force_login(mandated)
    mandate = Mandate.objects.get(household=mandated)
    client.post(f"/eligibilite/mandats/{mandate.pk}/retirer/")
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    client.force_login(referrer)
    assert client.get(f"/eligibilite/prescripteur/foyers/{mandated.pk}/").status_code == 404


def test_association_registers_and_staff_verify_it(client, programme, staff):
    response = client.post(
        "/eligibilite/association/inscription/",
        {**ASSOCIATION, "siret": "", "password": "un-mot-de-passe-solide"},
    )
    assert response.status_code == 200 and "Demande envoyée" in response.content.decode()
    from reuse.accounts.models import Organisation

    organisation = Organisation.objects.get(name="Les Amis du Clic")
    assert organisation.status == "pending"
    assert decisions.valid_decision_for(organisation=organisation) is None
    client.force_login(staff)
    page = client.get("/admin/eligibilite/verifications/").content.decode()
    assert "Seniors isolés" in page
    client.post(f"/admin/eligibilite/verifications/associations/{organisation.pk}/")
    decision = decisions.valid_decision_for(organisation=organisation)
    assert decision is not None and decision.author == staff


def test_association_without_programme_rules_is_not_eligible(staff):
    ProgrammeFactory(every_check=True, associations_eligible=False)
    from reuse.eligibility.models import AssociationProfile
    from tests.factories.accounts import OrganisationFactory

    organisation = OrganisationFactory(association=True, pending=True)
    AssociationProfile.objects.create(organisation=organisation, purpose="x", public="y")
    decision = associations.verify_association(organisation=organisation, by=staff)
    assert decision.status == "ineligible" and "ne s’adresse pas aux associations" in decision.reason_texts[0]


def test_staff_accredit_a_referrer_in_the_admin(client, staff):
    from tests.factories.accounts import OrganisationFactory, member_of

    organisation = OrganisationFactory(referrer=True, pending=True)
    person = member_of(organisation)
    from reuse.errors import Forbidden

    with pytest.raises(Forbidden):
        accreditations.acting_organisation(person)
    client.force_login(staff)
    client.post(f"/admin/eligibilite/verifications/prescripteurs/{organisation.pk}/")
    assert accreditations.acting_organisation(person) == organisation


def test_programme_edited_in_the_admin_with_prices_and_overlap_check(client, staff, programme):
    client.force_login(staff)
    assert client.get("/admin/programmes/").status_code == 200
    form = admin_form(
        name="Nord",
        departments="59, 62",
        criteria=["rsa", "quotient_familial"],
        quotient_familial_max_eur="650",
        associations_eligible="on",
        vouchers_accepted="on",
    ) | admin_price_rows([("laptop", "A", "0", "80,00")])
    response = client.post("/admin/programmes/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Programme.objects.get(name="Nord")
    # Staff type the bound in euros; it is kept in cents.
    assert created.departments == ["59", "62"] and created.prices.get().max_cents == 8000
    edit = client.get(f"/admin/programmes/edit/{created.pk}/").content.decode()
    assert 'value="80,00"' in edit
    clash = admin_form(name="Doublon", departments="93")
    response = client.post("/admin/programmes/new/", clash)
    assert response.status_code == 200 and "couvre déjà 93" in response.content.decode()


def test_referrer_sends_a_document_for_a_mandated_household_and_it_is_journaled(client, referrer, mandated):
    client.force_login(referrer)
    url = f"/eligibilite/prescripteur/foyers/{mandated.pk}/justificatif/"
    assert "Envoyer un justificatif" in client.get(url).content.decode()
    refused = client.post(
        url, {"criteria": ["aah"], "file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nbroken")}
    )
    assert "pas une image lisible" in refused.content.decode()
    response = client.post(url, {"criteria": ["aah"], "file": SimpleUploadedFile("caf.pdf", PDF)})
    decision = EligibilityDecision.objects.get(beneficiary=mandated)
    assert response.status_code == 302 and decision.status == "pending"
    assert decision.author == referrer and decision.author_organisation is not None
    assert decision.documents.get().uploaded_by == referrer
    assert mandated.mandates.get().journal.filter(action="document_uploaded").exists()
    stranger = household()
    assert client.get(f"/eligibilite/prescripteur/foyers/{stranger.pk}/justificatif/").status_code == 404


def test_a_household_that_does_not_know_its_quotient_is_told_where_to_go_next(client):
    ProgrammeFactory(criteria=["rsa", "quotient_familial"])
    client.force_login(household())
    client.post("/eligibilite/questionnaire/", {"step": "aids"})  # no aid ticked
    # Nothing typed nor ticked: said beside the figure's field.
    page = client.post("/eligibilite/questionnaire/", {"step": "qf"}).content.decode()
    assert re.search(r'<input type="text" name="quotient_familial_eur"[^>]*aria-invalid="true"', page)
    assert 'id="id_quotient_familial_eur_error"><p>Écrivez votre quotient familial' in page
    decision = client.post("/eligibilite/questionnaire/", {"step": "qf", "unknown": "on"}, follow=True)
    html = decision.content.decode()
    assert "vous n’avez pas droit" in html and "France Services" in html
    assert 'href="/eligibilite/questionnaire/?recommencer=1">Refaire le questionnaire</a>' in html
