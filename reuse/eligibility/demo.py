"""Demo programme, eligible household, verified association, accredited referrer with a household without email."""

import datetime

from django.db import transaction

from reuse.accounts.demo import demo_organisation, demo_user
from reuse.accounts.models import User
from reuse.eligibility import sign_in_codes
from reuse.eligibility.enums import ConsentMethod, Criterion, DecisionStatus, Evidence, MandateScope
from reuse.eligibility.models import AssociationProfile, EligibilityDecision, Mandate
from reuse.eligibility.services import accreditations, associations, decisions, households, mandates
from reuse.programmes.models import Programme, ProgrammePrice

ORDER = 10
PROGRAMME_NAME = "Seine-Saint-Denis et voisins"
# Max prices in cents per device type and grade: every type has its bounds, screens and other devices too
# (a type without bounds could only be given away).
PRICES = {
    "laptop": {"A": 8000, "B": 5000, "C": 3000},
    "smartphone": {"A": 5000, "B": 3000, "C": 1500},
    "tablet": {"A": 4000, "B": 2500, "C": 1000},
    "desktop": {"A": 6000, "B": 4000, "C": 2000},
    "monitor": {"A": 3000, "B": 2000, "C": 1000},
    "other": {"A": 2000, "B": 1000, "C": 500},
}
WITHOUT_EMAIL = {"first_name": "Mamadou", "last_name": "Traoré", "birth_date": datetime.date(1961, 4, 12)}


def demo_programme() -> Programme:
    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    if programme is None:
        programme = Programme(
            name=PROGRAMME_NAME,
            departments=["93", "95", "75", "92", "94"],
            starts_on=datetime.date(2026, 1, 1),
            criteria=list(Criterion.values),
            quotient_familial_max_eur=700,
            accepted_evidence=[Evidence.ATTESTATION, Evidence.DOCUMENT, Evidence.API_PARTICULIER],
            hold_hours=48,
            vouchers_accepted=True,
            api_particulier_recipient_siret="21930066200015",
        )
        programme.full_clean()
        programme.save()
    for device_type, grades in PRICES.items():
        for grade, max_cents in grades.items():
            ProgrammePrice.objects.get_or_create(
                programme=programme, device_type=device_type, grade=grade, defaults={"max_cents": max_cents}
            )
    return programme


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:
    programme = demo_programme()
    hub = demo_user("hub@example.org")
    referrer = demo_user("prescripteur@example.org")
    accreditations.accredit_referrer(organisation=demo_organisation("referrer"), by=hub)

    household = demo_user("beneficiaire@example.org")
    if not Mandate.objects.filter(household=household).exists():
        # Nadia signs in by herself: the referrer asks, and she accepts in her own space.
        request = mandates.request_mandate(
            referrer=referrer, household=household, scopes=[MandateScope.ELIGIBILITY], months=3
        )
        mandates.accept_mandate(mandate=request, household=household)
    if decisions.valid_decision_for(user=household) is None:
        decisions.attest(referrer=referrer, household=household, criteria=[Criterion.RSA])

    association = demo_organisation("association")
    if not hasattr(association, "association_profile"):
        AssociationProfile.objects.create(
            organisation=association,
            purpose="Apprentissage de la lecture, de l’écriture et du numérique pour adultes.",
            public="Adultes en situation d’illettrisme à Aubervilliers et Saint-Denis.",
        )
    if decisions.valid_decision_for(organisation=association) is None:
        associations.verify_association(organisation=association, by=hub)

    without_email = User.objects.filter(
        email__isnull=True, first_name=WITHOUT_EMAIL["first_name"], last_name=WITHOUT_EMAIL["last_name"]
    ).first()
    if without_email is None:
        without_email, _mandate = households.create_household_under_mandate(
            referrer=referrer,
            postcode="93200",
            household_size=1,
            email=None,
            scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS],
            months=12,
            consent_given=True,
            consent_method=ConsentMethod.PRINTED,
            **WITHOUT_EMAIL,
        )
    if not EligibilityDecision.objects.filter(
        beneficiary=without_email, status=DecisionStatus.ELIGIBLE
    ).exists():
        decisions.attest(referrer=referrer, household=without_email, criteria=[Criterion.ASPA])
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=without_email).code
    stdout.write(
        f"  programme « {programme.name} » ; beneficiaire@example.org éligible (RSA) ; association vérifiée\n"
        f"  foyer sans e-mail {without_email.get_full_name()} : code de connexion {code} "
        f"(à saisir sur /eligibilite/connexion-code/)"
    )
