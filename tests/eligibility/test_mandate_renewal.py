"""A referrer renews the mandate of a household it already follows: a new consent, a new Mandate row."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from reuse.accounts.models import User
from reuse.accounts.services import create_household
from reuse.eligibility.enums import JournalAction, MandateScope
from reuse.eligibility.models import EligibilityDecision, Mandate, MandateJournalEntry
from reuse.eligibility.services import accreditations, mandates
from reuse.errors import DomainError
from reuse.policy.eligibility import renewable_households
from tests.factories.accounts import MembershipFactory, household, member_of
from tests.factories.eligibility import ReferrerAccreditationFactory, accredited_referrer

pytestmark = pytest.mark.django_db

VALID = {"scopes": ["eligibility", "claims"], "months": "12", "consent_method": "printed", "consent": "on"}


def later(days):
    """The clock `days` from now (the fixtures' mandates start now and last 12 months)."""
    return time_machine.travel(
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days), tick=False
    )


def renew_url(person):
    return reverse("eligibility:referrer_mandate_renew", kwargs={"pk": person.pk})


def household_url(person):
    return reverse("eligibility:referrer_household", kwargs={"pk": person.pk})


def dashboard(client):
    return client.get(reverse("eligibility:referrer_dashboard")).content.decode()


def test_renewing_an_expired_mandate_lets_the_referrer_attest_again(client, referrer, mandated, programme):
    old = Mandate.objects.get(household=mandated)
    with later(400):
        assert (
            mandates.active_mandate(referrer=referrer, household=mandated, scope=MandateScope.ELIGIBILITY)
            is None
        )
        client.force_login(referrer)
        # The household page is closed once the mandate has ended; the dashboard offers the renewal.
        assert client.get(household_url(mandated)).status_code == 404
        listing = dashboard(client)
        assert "Mandats terminés ou retirés" in listing and renew_url(mandated) in listing
        form = client.get(renew_url(mandated))
        assert form.status_code == 200
        html = form.content.decode()
        assert re.search(r"<fieldset[^>]*>\s*<legend>Signature du mandat", html)
        assert re.search(r"<fieldset[^>]*>\s*<legend>Le mandat permet de", html)
        assert '<label for="id_signed_name">' in html and 'name="csrfmiddlewaretoken"' in html
        users = User.objects.count()

        response = client.post(
            renew_url(mandated), {**VALID, "consent_method": "on_screen", "signed_name": "Mamadou Traoré"}
        )

        assert response.status_code == 302 and response["Location"] == household_url(mandated)
        assert User.objects.count() == users  # the household keeps its account
        new = Mandate.objects.exclude(pk=old.pk).get(household=mandated)
        assert new.is_active and new.referrer_organisation == old.referrer_organisation
        assert new.referrer == referrer and new.signed_name == "Mamadou Traoré"
        assert (
            mandates.active_mandate(referrer=referrer, household=mandated, scope=MandateScope.ELIGIBILITY)
            == new
        )
        assert new.journal.filter(action=JournalAction.MANDATE_RECORDED, actor=referrer).exists()
        page = client.get(response["Location"]).content.decode()
        assert "Le nouveau mandat est enregistré jusqu’au" in page
        assert f'<a href="/eligibilite/prescripteur/mandats/{new.pk}/">Imprimer le mandat</a>' in page
        assert renew_url(mandated) not in page
        response = client.post(
            reverse("eligibility:referrer_attest", kwargs={"pk": mandated.pk}),
            {"criteria": ["rsa"], "verified": "on"},
        )
        assert response.status_code == 302, response.content.decode()
        assert EligibilityDecision.objects.get(beneficiary=mandated).mandate == new


def test_renewal_link_shows_only_when_the_mandate_ends_within_30_days(client, referrer, mandated):
    client.force_login(referrer)
    page = client.get(household_url(mandated)).content.decode()
    assert "Le mandat se termine le" in page and renew_url(mandated) not in page
    assert renew_url(mandated) not in dashboard(client)
    with later(330):  # about 35 days left
        client.force_login(referrer)
        assert renew_url(mandated) not in client.get(household_url(mandated)).content.decode()
        assert "à renouveler" not in dashboard(client)
    with later(345):  # about 20 days left
        client.force_login(referrer)
        page = client.get(household_url(mandated)).content.decode()
        assert renew_url(mandated) in page and "Renouveler le mandat" in page
        listing = dashboard(client)
        assert "à renouveler" in listing and renew_url(mandated) in listing


def test_a_revoked_mandate_can_be_renewed_from_the_dashboard(client, referrer, mandated):
    client.force_login(mandated)
    client.post(
        reverse("eligibility:revoke_mandate", kwargs={"pk": Mandate.objects.get(household=mandated).pk})
    )
    client.force_login(referrer)
    listing = dashboard(client)
    assert "Retiré le" in listing and renew_url(mandated) in listing
    assert "a été retiré le" in client.get(renew_url(mandated)).content.decode()
    assert client.post(renew_url(mandated), VALID).status_code == 302
    assert Mandate.objects.active().filter(household=mandated).count() == 1
    assert renew_url(mandated) not in dashboard(client)


def test_renewing_a_running_mandate_replaces_it(client, referrer, mandated):
    old = Mandate.objects.get(household=mandated)
    client.force_login(referrer)
    response = client.post(renew_url(mandated), {**VALID, "scopes": ["eligibility"], "months": "6"})
    assert response.status_code == 302
    old.refresh_from_db()
    new = Mandate.objects.exclude(pk=old.pk).get(household=mandated)
    assert old.revoked_at is not None and new.is_active and new.scopes == ["eligibility"]
    assert old.journal.filter(action=JournalAction.MANDATE_REVOKED, actor=referrer).exists()
    # The latest consent counts: it no longer covers claims.
    assert mandates.active_mandate(referrer=referrer, household=mandated, scope=MandateScope.CLAIMS) is None
    client.force_login(mandated)
    page = client.get(reverse("eligibility:dashboard")).content.decode()
    assert page.count("Retirer ce mandat") == 1 and "remplacé par le mandat renouvelé" in page


def test_only_the_organisation_that_held_a_mandate_may_renew_it(client, referrer, mandated):
    organisation = Mandate.objects.get(household=mandated).referrer_organisation
    other_referrer, _other = accredited_referrer()
    url = renew_url(mandated)
    mandates = Mandate.objects.count()
    journal = MandateJournalEntry.objects.count()
    for user in (other_referrer, mandated):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, VALID).status_code == 404
    assert Mandate.objects.count() == mandates and MandateJournalEntry.objects.count() == journal
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert client.post(url, VALID).status_code == 302 and Mandate.objects.count() == mandates
    # Our organisation never held a mandate for this person: 404 as well.
    client.force_login(referrer)
    assert client.get(renew_url(household(postcode="93200"))).status_code == 404
    # A colleague of the same organisation may, even once the mandate has ended.
    colleague = member_of(organisation)
    with later(400):
        client.force_login(colleague)
        assert client.get(url).status_code == 200
        # The policy itself, not only the page: the households each person may renew for.
        assert list(renewable_households(colleague)) == [mandated]
        assert list(renewable_households(referrer)) == [mandated]
        assert not renewable_households(other_referrer).exists()
        assert not renewable_households(mandated).exists()


def test_renewal_without_consent_creates_nothing_and_says_why(client, referrer, mandated):
    client.force_login(referrer)
    before = list(Mandate.objects.values_list("pk", "revoked_at", "expires_at"))
    journal = MandateJournalEntry.objects.count()
    response = client.post(
        renew_url(mandated), {"scopes": ["eligibility"], "months": "12", "consent_method": "printed"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in html
    assert '<div class="error" id="id_consent_error"><p>Sans l’accord de la personne' in html
    assert re.search(r'id="id_consent"[^>]*aria-describedby="\s*id_consent_error"', html)
    response = client.post(renew_url(mandated), {**VALID, "consent_method": "on_screen", "signed_name": " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error" id="id_signed_name_error"><p>Pour une signature à l’écran' in html
    response = client.post(renew_url(mandated), {**VALID, "scopes": []})
    assert response.status_code == 200 and 'id="id_scopes_error"' in response.content.decode()
    assert list(Mandate.objects.values_list("pk", "revoked_at", "expires_at")) == before
    assert MandateJournalEntry.objects.count() == journal


def test_an_organisation_no_longer_accredited_cannot_renew(client, referrer, mandated, staff):
    mandate = Mandate.objects.get(household=mandated)
    accreditations.revoke_accreditation(organisation=mandate.referrer_organisation, by=staff)
    client.force_login(referrer)
    assert "n’est pas accréditée" in client.get(renew_url(mandated)).content.decode()
    response = client.post(renew_url(mandated), VALID)
    assert response.status_code == 200
    assert "n’est pas accréditée par l’équipe Rebond" in response.content.decode()
    assert Mandate.objects.get() == mandate
    mandate.refresh_from_db()
    assert mandate.revoked_at is None


def test_renewal_stays_with_the_organisation_that_held_the_mandate():
    """A referrer in two accredited organisations renews for the one that held the mandate, not the first one."""
    first, second = ReferrerAccreditationFactory().organisation, ReferrerAccreditationFactory().organisation
    referrer = member_of(first)
    MembershipFactory(user=referrer, organisation=second)
    # A person without an access of their own signs the mandate in front of the referrer.
    person = create_household(first_name="Awa", last_name="Diallo", postcode="93200")
    with later(-400):
        mandates.record_mandate(
            referrer=referrer,
            household=person,
            scopes=[MandateScope.ELIGIBILITY],
            months=12,
            consent_given=True,
            organisation=second,
        )
    # Without a choice, a referrer in two structures acts for neither (never « the first one »).
    with pytest.raises(DomainError) as refused:
        accreditations.acting_organisation(referrer)
    assert refused.value.code == "referrer_required"
    mandate = mandates.renew_mandate(
        referrer=referrer, household=person, scopes=[MandateScope.ELIGIBILITY], months=12, consent_given=True
    )
    assert mandate.referrer_organisation == second
    assert (
        mandates.active_mandate(referrer=referrer, household=person, scope=MandateScope.ELIGIBILITY)
        == mandate
    )


def test_a_renewal_sent_twice_records_one_mandate_and_leaves_no_stray_withdrawal(client, referrer, mandated):
    """« Renouveler » tapped twice on a slow phone (or the form sent again): the second sending answers as the
    first, instead of recording a second mandate that ends the new one at once."""
    old = Mandate.objects.get(household=mandated)
    client.force_login(referrer)
    terms = {**VALID, "scopes": ["eligibility"], "months": "6"}
    first = client.post(renew_url(mandated), terms)
    second = client.post(renew_url(mandated), terms)
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]
    new = Mandate.objects.exclude(pk=old.pk).get(household=mandated)
    assert new.is_active
    withdrawn = MandateJournalEntry.objects.filter(household=mandated, action=JournalAction.MANDATE_REVOKED)
    assert list(withdrawn.values_list("mandate", flat=True)) == [old.pk]
    # Renewed again later with other terms, it is a new consent that replaces this one.
    client.post(renew_url(mandated), {**terms, "months": "12"})
    new.refresh_from_db()
    assert new.revoked_at is not None
