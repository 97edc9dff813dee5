"""No page offers what its POST will refuse: a device page shows the claim form only to whom the claim would be
accepted, and otherwise the reason the claim would be refused with, before anything is filled or sent.

Each case is a person in a state (the association that just signed up, the household whose cap is reached, the
household in a session opened with a printed code under an eligibility-only mandate…); the page's offer and the
POST's answer must agree, and a refusal reads the same words on the page as after sending.
"""

import html
import re

import pytest
from django.urls import reverse

from reuse.accounts.enums import OrganisationStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility import sign_in_codes
from reuse.eligibility.enums import MandateScope
from tests.factories.accounts import UserFactory, household
from tests.factories.donations import donor_with_member
from tests.factories.eligibility import (
    accredited_referrer,
    eligible,
    eligible_association,
    household_opened_by,
    referrer_with_household,
)
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def _household(client, programme):
    person = eligible(programme=programme)
    client.force_login(person)
    return {}, ""


def _household_at_its_cap(client, programme):
    person = eligible(programme=programme)
    reservations.create_claim(actor=person, device_id=DeviceFactory(listed=True).pk)  # cap: one laptop
    client.force_login(person)
    return {}, ""


def _association(status):
    def arrange(client, programme):
        organisation, member = eligible_association(programme)
        organisation.status = status
        organisation.save(update_fields=["status"])
        client.force_login(member)
        return {}, ""

    return arrange


def _code_session(scopes):
    """A household without credentials signs in with the code its referrer printed (PRODUCT.md: « handover with
    a code, for people without email too »)."""

    def arrange(client, programme):
        referrer, _organisation = accredited_referrer()
        person = household_opened_by(referrer, scopes=scopes)
        eligible(person, programme=programme)
        issued = sign_in_codes.issue_sign_in_code(referrer=referrer, household=person)
        assert client.post(reverse("eligibility:code_login"), {"code": issued.code}).status_code == 302
        return {}, ""

    return arrange


def _referrer_for(at_cap):
    def arrange(client, programme):
        referrer, household = referrer_with_household()
        if at_cap:
            reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
        client.force_login(referrer)
        return {"beneficiary": household.pk}, f"?pour={household.pk}"

    return arrange


def _donor(client, programme):
    _organisation, member = donor_with_member()
    client.force_login(member)
    return {}, ""


def _staff(client, programme):
    client.force_login(UserFactory(is_staff=True))
    return {}, ""


CASES = {
    "eligible household": _household,
    "household at its cap": _household_at_its_cap,
    "eligible association": _association(OrganisationStatus.APPROVED),
    "association awaiting verification": _association(OrganisationStatus.PENDING),
    "suspended association": _association(OrganisationStatus.SUSPENDED),
    "code session, eligibility only": _code_session([MandateScope.ELIGIBILITY]),
    "code session, claims too": _code_session([MandateScope.ELIGIBILITY, MandateScope.CLAIMS]),
    "referrer for a household": _referrer_for(at_cap=False),
    "referrer for a household at its cap": _referrer_for(at_cap=True),
    "donor": _donor,
    "staff": _staff,
}
REFUSED = {
    "household at its cap",
    "association awaiting verification",
    "suspended association",
    "code session, eligibility only",
    "referrer for a household at its cap",
    "donor",
    "staff",
}


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("case", CASES)
def test_the_device_page_offers_the_claim_form_only_when_sending_it_is_accepted(client, programme, case):
    fields, query = CASES[case](client, programme)
    device = DeviceFactory(listed=True)
    action = reverse("claims:claim_device", args=[device.pk])
    page = client.get(reverse("claims:device", args=[device.pk]) + query).content.decode()
    offered = f'action="{action}"' in page
    before = Claim.objects.count()
    answer = client.post(action, {"voucher_code": "", **fields})
    accepted = answer.status_code == 302 and Claim.objects.count() == before + 1
    assert offered == accepted == (case not in REFUSED), (offered, accepted, answer.status_code)
    if not accepted:
        # The page said beforehand the words the refusal says after sending.
        refusal = re.search(r'<ul class="errorlist">\s*<li>(.*?)</li>', answer.content.decode(), re.S)
        assert refusal, answer.content.decode()[:2000]
        assert _text(refusal.group(1)) in _text(page)


@pytest.mark.parametrize(
    "status", [OrganisationStatus.APPROVED, OrganisationStatus.PENDING, OrganisationStatus.SUSPENDED]
)
def test_the_association_page_offers_its_reservation_forms_only_when_they_are_accepted(
    client, programme, status
):
    _association(status)(client, programme)
    device = DeviceFactory(listed=True)
    url = reverse("claims:association_dashboard")
    page = client.get(url).content.decode()
    offered = 'name="mode" value="pick"' in page
    answer = client.post(url, {"mode": "pick", "devices": [device.pk]})
    accepted = answer.status_code == 302 and Claim.objects.filter(device=device).exists()
    assert offered == accepted == (status == OrganisationStatus.APPROVED), (
        offered,
        accepted,
        answer.status_code,
    )
    if not accepted:
        refusal = re.search(r'<ul class="errorlist">\s*<li>(.*?)</li>', answer.content.decode(), re.S)
        assert refusal and _text(refusal.group(1)) in _text(page)


def _household_not_checked_yet(client, programme):
    person = household()
    client.force_login(person)
    return {}, ""


WAITING = {
    "eligible household": (_household, True),
    "household not checked yet": (_household_not_checked_yet, False),
    "donor": (_donor, False),
}


@pytest.mark.parametrize("case", WAITING)
def test_the_waiting_list_offers_its_form_only_when_joining_is_accepted(client, programme, case):
    arrange, may = WAITING[case]
    arrange(client, programme)
    url = reverse("claims:waitlist")
    page = client.get(url).content.decode()
    offered = "M’inscrire sur la liste</button>" in page
    answer = client.post(url, {"device_type": "laptop"})
    accepted = answer.status_code == 302
    assert offered == accepted == may, (offered, accepted, answer.status_code)
    if not accepted:
        refusal = re.search(r'<ul class="errorlist">\s*<li>(.*?)</li>', answer.content.decode(), re.S)
        assert refusal and _text(refusal.group(1)) in _text(page)
