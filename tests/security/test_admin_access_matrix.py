"""The Wagtail admin in the access matrix: what a document reviewer (staff for the eligibility queue only) may
not open, and the actions only coordinators take."""

import pytest
from django.urls import reverse

from tests.factories.tripod import SessionSlotFactory
from tests.security.access import client_for

# The Wagtail admin listings a reviewer must not open, and the one they work in.
STAFF_ONLY_LISTINGS = [
    "claims_claim:index",
    "claims_payment:index",
    "claims_voucher:index",
    "claims_funder:index",
    "devices:index",
    "erasures:index",
    "erasure_reports:index",
    "workshops:index",
    "manifest_aliases:index",
    "organisations:index",
    "wagtailusers_api_tokens:index",
    "receipt_caps:index",
    "tax_receipt_reviews:index",
    "tax_receipts:index",
]


@pytest.mark.parametrize("name", STAFF_ONLY_LISTINGS)
def test_reviewer_is_kept_out_of_other_admin_listings(db, world, name):
    url = reverse(name)
    response = client_for(world.users["reviewer"]).get(url)
    refused = response.status_code == 403 or (
        response.status_code == 302 and not response["Location"].startswith(url)
    )
    assert refused, f"reviewer got {response.status_code} on {url}"
    assert client_for(world.users["coordinator"]).get(url).status_code == 200


def test_reviewer_opens_the_eligibility_review_queue(db, world):
    url = reverse("eligibility_admin:document_queue")
    assert client_for(world.users["reviewer"]).get(url).status_code == 200
    assert client_for(world.users["coordinator"]).get(url).status_code == 200
    for identity in ("household", "referrer", "association", "donor", "workshop"):
        assert client_for(world.users[identity]).get(url).status_code == 302, identity


# Admin actions on one object that only Coordinators may take (a reviewer is staff, but not for these).
STAFF_ONLY_ACTIONS = [
    ("claims_claim:unlock_handover", lambda w: [w.claim.pk]),
    ("donations_approve_receipt", lambda w: [w.receipt_review.pk]),
    ("claims_claim:cancel", lambda w: [w.claim.pk]),
    ("organisations:suspend", lambda w: [w.orgs["workshop"].pk]),
    ("tripod_slot:cancel", lambda w: [SessionSlotFactory(workshop=w.orgs["workshop"]).pk]),
]


@pytest.mark.parametrize("name,args", STAFF_ONLY_ACTIONS)
def test_only_coordinators_reach_admin_actions(db, world, name, args):
    url = reverse(name, args=args(world))
    for identity in ("reviewer", "household", "referrer", "association", "donor", "workshop"):
        response = client_for(world.users[identity]).post(url)
        refused = response.status_code == 403 or (
            response.status_code == 302
            and not response["Location"].startswith(
                (
                    reverse("claims_claim:index"),
                    reverse("tax_receipt_reviews:index"),
                    reverse("organisations:index"),
                    reverse("tripod_slot:index"),
                )
            )
        )
        assert refused, f"{identity} got {response.status_code} on {url}"
    assert client_for(world.users["coordinator"]).get(url).status_code == 200
