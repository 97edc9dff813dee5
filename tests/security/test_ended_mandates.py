"""Once a household withdraws its mandate, its referrer reaches nothing of it: every route that names the
household or one of its objects (its page, decision, claims, handover code, tickets, printed mandate, tripod
sheets) answers 404 to the referrer's organisation, as it does to another organisation's people."""

import pytest
from django.db import transaction
from django.urls import reverse

from reuse.eligibility.models import Mandate
from reuse.eligibility.services import mandates
from tests.security.test_cross_organisation import (
    OBJECTS,
    OrganisationA,
    api_answers,
    api_methods,
    object_routes,
    page_answers,
    peer_client,
)

# Routes of OBJECTS whose object is not one of the households that withdrew their mandate, or that stay open
# to the referrer's organisation by design, with the reason.
STILL_OPEN = {
    "eligibility:referrer_mandate_renew": "a new mandate needs the person's new consent (in their own space)",
    "eligibility:revoke_mandate": "withdrawing a mandate already withdrawn changes nothing",
    "claims:claim_code": "the code of a claim of another household the organisation still follows",
    "tripod:funder_cheques": "the organisation's own voucher funder",
    "claims:funder_statement": "the organisation's own voucher funder",
    "structures:batch_print": "cheques of the organisation's own funder",
}


@pytest.fixture(scope="module")
def withdrawn(django_db_setup, django_db_blocker):
    """Organisation A's world, in which A's household and the household A's referrer followed through a
    warranty ticket each withdrew their mandate in their own space."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = OrganisationA()
        for person in (world.users["household"], world.followed):
            for mandate in Mandate.objects.active().filter(household=person):
                mandates.revoke_mandate(mandate=mandate, by=person)
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(set(OBJECTS) - set(STILL_OPEN)))
def test_a_withdrawn_mandate_opens_nothing_of_the_household(db, withdrawn, name):
    url = reverse(name, kwargs=OBJECTS[name](withdrawn))
    client = peer_client(withdrawn.users["referrer"])
    if name.startswith("api:"):
        path = "/" + object_routes()[name].replace("<", "{").replace(">", "}")
        answers = api_answers(client, url, path, api_methods()[path], withdrawn)
    else:
        answers = page_answers(client, url, name)
    wrong = [
        f"{method}: {response.status_code}"
        for method, response in answers
        if response.status_code not in (404, 405)
    ]
    assert not wrong, f"{name} {url}: " + "; ".join(wrong)
