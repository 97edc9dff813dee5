"""The access matrix: every URL of the project, for every kind of person.

Routes are read from the URL resolver, so a new route without an entry here fails the suite. Objects belong to
the "own" organisation of the person who should see them; everyone else must get 404 (never 403: nobody learns
that another organisation's object exists). API operations: test_api_access_matrix.py; the Wagtail admin:
test_admin_access_matrix.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access import IDENTITIES, expect, wrong_answers
from tests.security.test_downloads import download_problem

OUR_NAMESPACES = {"accounts", "donations", "inventory", "eligibility", "claims", "cms", "tripod"}
# Routes served by third parties and checked elsewhere (Wagtail admin, documents, i18n, sitemap, robots, health;
# public media and health in tests/test_production.py, the email outbox's admin in tests/test_email_outbox.py).
OUTSIDE = {"set_language", "sitemap", "robots_txt", "healthz", "public_media"}


SIGNED_IN = expect(200, anonymous=302)
# Reviewers are staff for the eligibility queue only: workshop pages are not for them.
OTHER_ROLES = {"household": 403, "referrer": 403, "association": 403, "donor": 403, "reviewer": 403}
WORKSHOP_READ = expect(200, anonymous=302, **OTHER_ROLES)
WORKSHOP_WRITE = expect(302, anonymous=302, workshop=200, **OTHER_ROLES)
# POST-only device routes: GET is 405 for those who may reach the device, 404 for everyone else.
DEVICE_POST = expect(404, anonymous=302, workshop=405, coordinator=405)

CLAIM = lambda w: {"pk": w.claim.pk}  # noqa: E731
LOT = lambda w: {"pk": w.lot.pk}  # noqa: E731
DONOR_LOT = expect(404, anonymous=302, donor=200, coordinator=200)
# What the donor does to its own lot; staff act in the admin, not as the donor.
DONOR_ONLY = expect(404, anonymous=302, donor=200)
# The lot, its certificate, exports and impact: the donor, its workshop and staff (PRODUCT.md).
LOT_READ = expect(404, anonymous=302, donor=200, workshop=200, coordinator=200)
# POST-only actions answer GET with 405 before anything is looked up: nothing is revealed.
POST_ONLY = expect(405, anonymous=302)
# A decision with its criteria and grounds: the household, the referrer whose mandate covers eligibility, staff.
# A referrer whose mandate covers claims only gets 404 (data minimisation: it may learn whether the household is
# eligible, until when and for which programme, on the household's page, and nothing more).
DECISION_READ = expect(
    404, anonymous=302, household=200, referrer=200, claims_referrer=404, reviewer=200, coordinator=200
)
HOUSEHOLD = lambda w: {"pk": w.users["household"].pk}  # noqa: E731
DEVICE = lambda w: {"tag": w.device.asset_tag}  # noqa: E731

# url name -> (kwargs builder, expected status per identity). 302 for anonymous means "sent to sign in".
PAGES = {
    "accounts:login": (None, expect(200, **{i: 302 for i in IDENTITIES if i != "anonymous"})),
    # Each role is sent to its own space; the donor (no space of its own on this branch) sees the home page.
    "accounts:home": (None, expect(302)),
    "accounts:organisation": (
        lambda w: {"pk": w.orgs["donor"].pk},
        expect(404, anonymous=302, donor=200, coordinator=200),
    ),
    "accounts:password_reset": (None, expect(200)),
    "accounts:password_reset_done": (None, expect(200)),
    "accounts:password_reset_complete": (None, expect(200)),
    "accounts:password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "set-password"}, expect(200)),
    "accounts:logout": (None, expect(405)),
    # Everyone signed in reads what is kept about them (closing is offered to households only: see
    # test_account_closure.py).
    "accounts:my_data": (None, SIGNED_IN),
    "accounts:my_data_download": (None, SIGNED_IN),
    "accounts:language": (None, POST_ONLY),
    # Everyone signed in asks for a new sign-in address; the link sent to it asks before it confirms.
    "accounts:change_email": (None, SIGNED_IN),
    "accounts:confirm_email": (lambda w: {"token": "not-a-link"}, expect(200)),
    # claims: the catalogue is public; a claim belongs to its beneficiary (and the referrer who follows them).
    "claims:catalogue": (None, expect(200)),
    "claims:device": (lambda w: {"pk": w.device.pk}, expect(200)),
    "claims:claim_device": (lambda w: {"pk": w.device.pk}, expect(405, anonymous=302)),
    "claims:my_claims": (None, SIGNED_IN),
    "claims:waitlist": (None, SIGNED_IN),
    "claims:association_dashboard": (None, expect(404, anonymous=302, association=200)),
    "claims:handover": (None, expect(404, anonymous=302, workshop=200)),
    "claims:handover_confirm": (None, expect(405, anonymous=302)),
    # The statement of a funder: its own members, and staff (the reviewer is staff: see the report).
    "claims:funder_statement": (
        lambda w: {"pk": w.funder.pk},
        expect(404, anonymous=302, referrer=200, claims_referrer=404, coordinator=200),
    ),
    # Staff follow claims in the admin, not on the beneficiary's page (404 for them here).
    "claims:claim": (CLAIM, expect(404, anonymous=302, household=200, referrer=200)),
    "claims:pay": (CLAIM, expect(404, anonymous=302, household=200, referrer=200)),
    # The code and the receipt exist only once the claim is paid/handed over: on a reserved one the claimant side
    # is sent to the claim's page (which says where it stands), everyone else gets the 404 it always gets.
    "claims:claim_code": (CLAIM, expect(404, anonymous=302, household=302, referrer=302)),
    "claims:receipt": (CLAIM, expect(404, anonymous=302, household=302, referrer=302)),
    "claims:apply_voucher": (CLAIM, expect(405, anonymous=302)),
    "claims:pay_at_workshop": (CLAIM, expect(405, anonymous=302)),
    "claims:pay_online": (CLAIM, expect(405, anonymous=302)),
    # GET asks before cancelling (the claimant side only); POST cancels.
    "claims:cancel": (CLAIM, expect(404, anonymous=302, household=200, referrer=200)),
    # tripod: the offers and the sheet follow the decision (not for a referrer whose mandate covers claims only);
    # the counter and sessions the workshop.
    "tripod:offers": (lambda w: {"pk": w.decision.pk}, DECISION_READ),
    "tripod:sheet": (lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk}, DECISION_READ),
    "tripod:orient": (lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk}, expect(405, anonymous=302)),
    "tripod:declare": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:book": (lambda w: {"claim_pk": w.claim.pk}, expect(405, anonymous=302)),
    "tripod:cancel_booking": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:mark": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:cancel_slot": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:handover_confirm": (None, expect(405, anonymous=302)),
    "tripod:workshop_sessions": (None, expect(404, anonymous=302, workshop=200)),
    "tripod:funder_cheques": (
        lambda w: {"pk": w.funder.pk},
        expect(404, anonymous=302, referrer=200, claims_referrer=404, coordinator=200),
    ),
    # eligibility: the household's own pages, the referrer's workspace, public sign-up pages.
    "eligibility:signup": (None, expect(302, anonymous=200)),
    "eligibility:code_login": (None, expect(200)),
    "eligibility:association_signup": (None, expect(200)),
    "eligibility:dashboard": (None, expect(404, anonymous=302, household=200)),
    # The household is sent to the question it is at, at its own address (`?etape=`).
    "eligibility:questionnaire": (None, expect(404, anonymous=302, household=302)),
    "eligibility:decision": (lambda w: {"pk": w.decision.pk}, DECISION_READ),
    "eligibility:revoke_mandate": (lambda w: {"pk": w.mandate.pk}, expect(405, anonymous=302)),
    # A household answers, in its own space, a mandate a referrer asked it for (POST only).
    "eligibility:accept_mandate": (lambda w: {"pk": w.mandate.pk}, expect(405, anonymous=302)),
    "eligibility:refuse_mandate": (lambda w: {"pk": w.mandate.pk}, expect(405, anonymous=302)),
    "eligibility:referrer_dashboard": (None, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_household_create": (None, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_household": (HOUSEHOLD, expect(404, anonymous=302, referrer=200)),
    # Giving the account its address gives the whole account: not under a claims-only mandate.
    "eligibility:referrer_household_email": (
        HOUSEHOLD,
        expect(404, anonymous=302, referrer=200, claims_referrer=404),
    ),
    "eligibility:referrer_mandate_renew": (HOUSEHOLD, expect(404, anonymous=302, referrer=200)),
    # Attesting and sending a proof act on eligibility: not for a referrer whose mandate covers claims only.
    "eligibility:referrer_attest": (HOUSEHOLD, expect(404, anonymous=302, referrer=200, claims_referrer=404)),
    "eligibility:referrer_document": (
        HOUSEHOLD,
        expect(404, anonymous=302, referrer=200, claims_referrer=404),
    ),
    "eligibility:referrer_sign_in_code": (HOUSEHOLD, expect(405, anonymous=302)),
    "eligibility:referrer_mandate_print": (
        lambda w: {"pk": w.mandate.pk},
        expect(404, anonymous=302, referrer=200, claims_referrer=404),
    ),
    # inventory: the workshop's space. Other roles are refused with 403 (a role check, no object involved);
    # staff read the dashboard and stock but are sent away (302) from the pages that write.
    # Donations. The lot belongs to the donor and is assigned to the workshop.
    "accounts:organisation_invite": (
        lambda w: {"pk": w.orgs["donor"].pk},
        expect(404, anonymous=302, donor=200, coordinator=200),
    ),
    "accounts:invitation": (lambda w: {"token": w.invitation.token}, expect(200)),
    "donations:register": (None, expect(200)),
    # A role's home answers everyone signed in: the other roles learn whose space it is and how to join it.
    "donations:dashboard": (None, expect(200, anonymous=302, workshop=302)),
    "donations:public_impact": (None, expect(200)),
    "donations:certificate_verify": (lambda w: {"code": w.certificate.code}, expect(200)),
    "donations:lot_create": (None, expect(404, anonymous=302, donor=200)),
    "donations:lot": (LOT, LOT_READ),
    "donations:lot_items": (LOT, DONOR_ONLY),
    "donations:manifest": (LOT, DONOR_ONLY),
    "donations:checklist": (LOT, DONOR_ONLY),
    "donations:submit": (LOT, POST_ONLY),
    "donations:cancel": (LOT, POST_ONLY),
    "donations:certificate": (LOT, LOT_READ),
    "donations:export_csv": (LOT, LOT_READ),
    "donations:export_xlsx": (LOT, LOT_READ),
    "donations:impact": (LOT, LOT_READ),
    "donations:tax_receipt": (LOT, DONOR_ONLY),
    # The receipt belongs to the donor's accountant: not the workshop's nor staff's to download here.
    "donations:tax_receipt_pdf": (lambda w: {"pk": w.receipt_lot.pk}, DONOR_ONLY),
    "donations:job": (lambda w: {"pk": w.job.pk}, DONOR_LOT),
    "donations:job_import_valid": (lambda w: {"pk": w.job.pk}, POST_ONLY),
    # The mapping page of the donor's own import; a job still pending sends the donor back to it.
    "donations:job_mapping": (lambda w: {"pk": w.job.pk}, expect(404, anonymous=302, donor=302)),
    # An erasure tool's original report, for whoever may read the lot it covers.
    "donations:erasure_report": (lambda w: {"pk": w.lot.pk, "report_pk": w.report_file().pk}, LOT_READ),
    "donations:workshop_lots": (None, expect(404, anonymous=302, workshop=200, coordinator=200)),
    "donations:workshop_lot": (LOT, expect(404, anonymous=302, workshop=200)),
    "donations:workshop_action": (lambda w: {"pk": w.lot.pk, "action": "accepter"}, POST_ONLY),
    "inventory:register": (None, expect(200)),
    "inventory:dashboard": (None, SIGNED_IN),
    "inventory:stock": (None, WORKSHOP_READ),
    "inventory:stock_csv": (None, WORKSHOP_READ),
    "inventory:stock_xlsx": (None, WORKSHOP_READ),
    "inventory:check_in": (None, WORKSHOP_WRITE),
    "inventory:bench": (None, WORKSHOP_WRITE),
    "inventory:import": (None, WORKSHOP_WRITE),
    "inventory:reports": (None, WORKSHOP_WRITE),
    # The report file names an object: 404 for everyone but its workshop and staff.
    "inventory:report_file": (
        lambda w: {"pk": w.report_file().pk},
        expect(404, anonymous=302, workshop=200, coordinator=200),
    ),
    # Without ?tags= the label sheet sends the workshop back to its stock.
    "inventory:labels": (None, expect(403, anonymous=302, workshop=302, coordinator=302)),
    # A device of the workshop: anyone else gets 404, whatever their role.
    "inventory:device": (DEVICE, expect(404, anonymous=302, workshop=200, coordinator=200)),
    "inventory:device_specs": (DEVICE, DEVICE_POST),
    "inventory:device_erasure": (DEVICE, DEVICE_POST),
    "inventory:device_price": (DEVICE, DEVICE_POST),
    "inventory:device_transition": (DEVICE, DEVICE_POST),
    "inventory:device_recycle": (DEVICE, DEVICE_POST),
    "inventory:device_part": (DEVICE, DEVICE_POST),
    "inventory:device_photo": (DEVICE, DEVICE_POST),
    "inventory:device_report": (DEVICE, DEVICE_POST),
}


def named_routes(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def project_routes():
    return {name for name in named_routes() if name.split(":")[0] in OUR_NAMESPACES and ":" in name}


def test_every_project_route_is_in_the_matrix():
    missing = project_routes() - set(PAGES)
    assert not missing, f"Routes without an access-matrix entry: {sorted(missing)}"


def not_kept_problem(response) -> str | None:
    """What a page answered to someone signed in must not leave behind: a copy in a shared cache or in the
    browser's (a public computer at France Services, the Back button after signing out). RFC 9111 section 5.2.2.5:
    no-store, and private for caches that ignore it."""
    kept = response.get("Cache-Control", "")
    if response.status_code == 200 and not ("no-store" in kept and "private" in kept):
        return f"a private answer with Cache-Control {kept!r}"
    return None


def assert_page_access(world, name, builder, expected, *, sends_anonymous_elsewhere=frozenset()):
    """Each identity gets the expected status from the page, and an anonymous visitor sent away is sent to the
    sign-in page (but from the sign-in page itself and the pages of `sends_anonymous_elsewhere`)."""
    url = reverse(name, kwargs=builder(world) if builder else None)

    def sent_to_sign_in(identity, response):
        elsewhere = name == "accounts:login" or name in sends_anonymous_elsewhere
        if response.status_code == 302 and identity == "anonymous" and not elsewhere:
            if not response["Location"].startswith(reverse("accounts:login")):
                return f"anonymous sent to {response['Location']} instead of the sign-in page"
        return None

    def kept_by_no_cache(identity, response):
        return (
            sent_to_sign_in(identity, response)
            or (identity != "anonymous" and not_kept_problem(response))
            # Every file a route answers with, to whoever may have it, under the one rule of downloads.
            or download_problem(response, private=identity != "anonymous")
        )

    wrong = wrong_answers(world, expected, lambda client: client.get(url), kept_by_no_cache)
    assert not wrong, f"{name} {url}: " + "; ".join(wrong)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(db, world, name):
    assert_page_access(world, name, *PAGES[name])
