"""Eligibility decisions, mandates and referrer accreditations, and the situations tests start from: an eligible
household or association, a referrer acting for a household under a mandate."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reuse.eligibility.enums import ConsentMethod, DecisionStatus, Evidence, MandateScope
from reuse.eligibility.models import EligibilityDecision, Mandate, ReferrerAccreditation
from reuse.programmes.models import Programme
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, UserFactory, member_of
from tests.factories.programmes import ProgrammeFactory


class EligibilityDecisionFactory(DjangoModelFactory):
    """An eligible household on an attestation, valid for a year."""

    class Meta:
        model = EligibilityDecision

    beneficiary = factory.LazyFunction(lambda: HouseholdProfileFactory().user)
    programme = factory.SubFactory(ProgrammeFactory)
    status = DecisionStatus.ELIGIBLE
    criteria = factory.LazyFunction(lambda: ["rsa"])
    evidence = Evidence.ATTESTATION
    author = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))

    class Params:
        association = factory.Trait(
            beneficiary=None,
            beneficiary_organisation=factory.SubFactory(OrganisationFactory, association=True),
        )
        ineligible = factory.Trait(status=DecisionStatus.INELIGIBLE, expires_at=None)
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)))


class ReferrerAccreditationFactory(DjangoModelFactory):
    class Meta:
        model = ReferrerAccreditation
        django_get_or_create = ("organisation",)  # one per organisation; a mandate's may exist already

    organisation = factory.SubFactory(OrganisationFactory, referrer=True)
    accredited_by = factory.SubFactory(UserFactory, is_staff=True)


class MandateFactory(DjangoModelFactory):
    """A household's consent, collected on paper by a referrer, to act for it on eligibility and claims."""

    class Meta:
        model = Mandate
        skip_postgeneration_save = True  # the hook below writes the accreditation, not the mandate

    household = factory.LazyFunction(lambda: HouseholdProfileFactory().user)
    referrer_organisation = factory.SubFactory(OrganisationFactory, referrer=True)
    referrer = factory.LazyAttribute(lambda mandate: member_of(mandate.referrer_organisation))
    scopes = factory.LazyFunction(lambda: [MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    consent_method = ConsentMethod.PRINTED
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=180))

    class Params:
        # A referrer's request that waits for the household to accept it in its own space.
        requested = factory.Trait(consent_method=ConsentMethod.HOUSEHOLD_ACCOUNT, consented_at=None)

    @factory.post_generation
    def accredited(mandate, create, extracted, **kwargs):
        """Only an accredited organisation makes mandates (reuse/eligibility/services/mandates.py), and it acts
        under them only while accredited (reuse/policy/mandates.py): the factory's organisations are, unless a test
        says `accredited=False`."""
        if create and extracted is not False:
            ReferrerAccreditation.objects.get_or_create(
                organisation=mandate.referrer_organisation,
                defaults={"accredited_by": UserFactory(is_staff=True)},
            )


def eligible(user=None, *, programme=None, organisation=None, postcode="93200"):
    """A household (or association) with a valid eligibility decision; returns the user (or organisation)."""
    programme = programme or Programme.objects.first() or ProgrammeFactory()
    if organisation is None and user is None:
        user = HouseholdProfileFactory(postcode=postcode).user
    EligibilityDecisionFactory(beneficiary=user, beneficiary_organisation=organisation, programme=programme)
    return organisation or user


def eligible_association(programme=None):
    organisation = OrganisationFactory(association=True, email="asso@example.test")
    member = member_of(organisation)
    eligible(organisation=organisation, programme=programme)
    return organisation, member


def referrer_with_household(*, with_email=False):
    organisation = OrganisationFactory(referrer=True)
    referrer = member_of(organisation)
    household = HouseholdProfileFactory(
        user=UserFactory(email=None) if not with_email else UserFactory()
    ).user
    MandateFactory(household=household, referrer_organisation=organisation, referrer=referrer)
    eligible(household)
    return referrer, household


def accredited_referrer():
    accreditation = ReferrerAccreditationFactory()
    return member_of(accreditation.organisation), accreditation.organisation


def household_opened_by(referrer, **details):
    """A person whose account a referrer opened for them under a signed mandate (the service every referrer path
    uses): Mamadou Traoré of Saint-Denis, born 12 April 1961, under a printed 12-month mandate covering eligibility
    and claims, unless `details` say otherwise (names, birth date, postcode, email, scopes, months, consent)."""
    from reuse.eligibility.services import households

    values = {
        "first_name": "Mamadou",
        "last_name": "Traoré",
        "birth_date": date(1961, 4, 12),
        "postcode": "93200",
        "scopes": [MandateScope.ELIGIBILITY, MandateScope.CLAIMS],
        "months": 12,
        "consent_given": True,
        "consent_method": ConsentMethod.PRINTED,
        **details,
    }
    person, _mandate = households.create_household_under_mandate(referrer=referrer, **values)
    return person
