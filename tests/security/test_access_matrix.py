"""The access matrix: every URL of the project and every API operation, for every kind of person.

Routes are read from the URL resolver and operations from the OpenAPI document, so a new route or operation
without an entry here fails the suite. Objects belong to the "own" organisation of the person who should see
them; everyone else must get 404 (never 403: nobody learns that another organisation's object exists).
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from donations.certificates import issue_certificate
from donations.models import ImportJob, ReceiptValueCap
from donations.receipts import issue_tax_receipt
from inventory.models import ErasureReport
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.invitations import invite
from reuse.api import api
from reuse.claims import services as claim_services
from reuse.eligibility.models import EligibilityDecision
from reuse.tripod import services as tripod_services
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, UserFactory, member_of
from tests.factories.claims import VoucherFactory, VoucherFunderFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.eligibility import MandateFactory, ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import ConnectivityOfferFactory

IDENTITIES = [
    "anonymous",
    "household",
    "referrer",
    "association",
    "donor",
    "workshop",
    "reviewer",
    "coordinator",
]
OUR_NAMESPACES = {"accounts", "donations", "inventory", "eligibility", "claims", "cms", "tripod"}
# Routes served by third parties and checked elsewhere (Wagtail admin, documents, i18n, sitemap, robots, health;
# public media and health in tests/test_production.py, the email outbox's admin in tests/test_email_outbox.py).
OUTSIDE = {"set_language", "sitemap", "robots_txt", "healthz", "public_media"}


class World:
    """One person per identity, each with an organisation of their kind, plus the objects the matrix needs."""

    def __init__(self):
        self.users = {"anonymous": None}
        self.orgs = {}
        for identity, kind in [
            ("referrer", OrganisationKind.REFERRER),
            ("association", OrganisationKind.ASSOCIATION),
            ("donor", OrganisationKind.DONOR),
            ("workshop", OrganisationKind.WORKSHOP),
        ]:
            if kind == OrganisationKind.WORKSHOP:
                self.orgs[identity] = OrganisationFactory(
                    open_workshop=True
                )  # approved, with its WorkshopProfile
            else:
                traits = {"association": True} if kind == OrganisationKind.ASSOCIATION else {"kind": kind}
                self.orgs[identity] = OrganisationFactory(**traits)
            self.users[identity] = member_of(self.orgs[identity])
        ReferrerAccreditationFactory(organisation=self.orgs["referrer"])
        self.programme = ProgrammeFactory()
        household = HouseholdProfileFactory(postcode="93200").user
        self.users["household"] = household
        # The household is followed by the referrer (active mandate) and has an eligible decision.
        self.mandate = MandateFactory(
            household=household, referrer_organisation=self.orgs["referrer"], referrer=self.users["referrer"]
        )
        eligible(household, programme=self.programme)
        self.decision = EligibilityDecision.objects.get(beneficiary=household)
        eligible(organisation=self.orgs["association"], programme=self.programme)
        # Devices of the workshop: one listed in the catalogue, one claimed by the household.
        self.device = DeviceFactory(listed=True, workshop=self.orgs["workshop"])
        claimed = DeviceFactory(listed=True, workshop=self.orgs["workshop"])
        self.claim = claim_services.create_claim(actor=household, device_id=claimed.pk)
        self.funder = VoucherFunderFactory(organisation=self.orgs["referrer"])
        # The tripod: an offer the decision opens, and the sheet the household printed for it.
        self.offer = ConnectivityOfferFactory()
        self.orientation = tripod_services.orient(
            actor=household, decision=self.decision, offer_id=self.offer.pk
        )
        self.voucher = VoucherFactory(funder=self.funder)
        # A lot of the donor, assigned to the workshop and received, with an import job and a certificate.
        self.lot = LotFactory(
            donor=self.orgs["donor"],
            workshop=self.orgs["workshop"],
            received=True,
            created_by=self.users["donor"],
        )
        wiped = DeviceFactory(listed=True, workshop=self.orgs["workshop"], lot=self.lot, state="ready")
        # Its erasure was imported from the tool's report, kept as evidence the donor may download.
        self.report = ErasureReport(
            workshop=self.orgs["workshop"],
            filename="nwipe.log",
            size=5,
            sha256="0" * 64,
            kind="nwipe-log",
            tool="nwipe",
            tool_version="0.35",
            uploaded_by=self.users["workshop"],
        )
        self.report.file.save("nwipe.log", ContentFile(b"nwipe"), save=False)
        self.report.save()
        ErasureRecordFactory(ssd=True, device=wiped, report=self.report)
        self.report_name = self.report.file.name
        self.job = ImportJob.objects.create(
            lot=self.lot, created_by=self.users["donor"], filename="manifeste.csv"
        )
        self.certificate = issue_certificate(lot=self.lot, user=self.users["workshop"])
        # A second received lot, with a declared value, for which the donor has had a tax receipt issued
        # (the workshop may issue them); the first lot stays without items nor receipt.
        self.orgs["workshop"].workshop_profile.may_issue_tax_receipts = True
        self.orgs["workshop"].workshop_profile.save()
        self.receipt_lot = LotFactory(
            donor=self.orgs["donor"],
            workshop=self.orgs["workshop"],
            received=True,
            created_by=self.users["donor"],
        )
        receipt_item = LotItemFactory(lot=self.receipt_lot, net_book_value_cents=15000)
        DeviceFactory(
            listed=True, lot=self.receipt_lot, workshop=self.orgs["workshop"], serial=receipt_item.serial
        )
        ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 25000})
        issue_tax_receipt(lot=self.receipt_lot, user=self.users["donor"], donor_legal_form="SAS")
        # A third lot whose receipt waits for staff: a laptop declared far above the laptop cap.
        review_lot = LotFactory(
            donor=self.orgs["donor"],
            workshop=self.orgs["workshop"],
            received=True,
            created_by=self.users["donor"],
        )
        review_item = LotItemFactory(lot=review_lot, net_book_value_cents=900000)
        DeviceFactory(listed=True, lot=review_lot, workshop=self.orgs["workshop"], serial=review_item.serial)
        self.receipt_review = issue_tax_receipt(
            lot=review_lot, user=self.users["donor"], donor_legal_form="SAS"
        )
        self.invitation = invite(
            organisation=self.orgs["donor"], email="new@example.test", by=self.users["donor"]
        )
        reviewer = UserFactory(is_staff=True)
        reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
        self.users["reviewer"] = reviewer
        coordinator = UserFactory(is_staff=True, is_superuser=True)
        coordinator.groups.add(Group.objects.get_or_create(name="Coordinators")[0])
        self.users["coordinator"] = coordinator

    def report_file(self) -> ErasureReport:
        """The report with its file: each test's private folder is emptied when it ends."""
        storage = self.report.file.storage
        if not storage.exists(self.report_name):
            storage.save(self.report_name, ContentFile(b"nwipe"))
        return self.report


def expect(default, **by_identity):
    """Expected status per identity: `default` for everyone not named."""
    return {identity: by_identity.get(identity, default) for identity in IDENTITIES}


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
        expect(404, anonymous=302, referrer=200, coordinator=200),
    ),
    # Staff follow claims in the admin, not on the beneficiary's page (404 for them here).
    "claims:claim": (CLAIM, expect(404, anonymous=302, household=200, referrer=200)),
    "claims:pay": (CLAIM, expect(404, anonymous=302, household=200, referrer=200)),
    # The code and the receipt exist only once the claim is paid/handed over: 404 for everyone on a reserved one.
    "claims:claim_code": (CLAIM, expect(404, anonymous=302)),
    "claims:receipt": (CLAIM, expect(404, anonymous=302)),
    "claims:apply_voucher": (CLAIM, expect(405, anonymous=302)),
    "claims:pay_at_workshop": (CLAIM, expect(405, anonymous=302)),
    "claims:pay_online": (CLAIM, expect(405, anonymous=302)),
    "claims:cancel": (CLAIM, expect(405, anonymous=302)),
    # tripod: the offers and the sheet follow the decision; the counter and sessions the workshop.
    "tripod:offers": (
        lambda w: {"pk": w.decision.pk},
        expect(404, anonymous=302, household=200, referrer=200, reviewer=200, coordinator=200),
    ),
    "tripod:sheet": (
        lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk},
        expect(404, anonymous=302, household=200, referrer=200, reviewer=200, coordinator=200),
    ),
    "tripod:orient": (lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk}, expect(405, anonymous=302)),
    "tripod:declare": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:book": (lambda w: {"claim_pk": w.claim.pk}, expect(405, anonymous=302)),
    "tripod:cancel_booking": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:mark": (lambda w: {"pk": w.orientation.pk}, expect(405, anonymous=302)),
    "tripod:handover_confirm": (None, expect(405, anonymous=302)),
    "tripod:workshop_sessions": (None, expect(404, anonymous=302, workshop=200)),
    "tripod:funder_cheques": (
        lambda w: {"pk": w.funder.pk},
        expect(404, anonymous=302, referrer=200, coordinator=200),
    ),
    # eligibility: the household's own pages, the referrer's workspace, public sign-up pages.
    "eligibility:signup": (None, expect(302, anonymous=200)),
    "eligibility:code_login": (None, expect(200)),
    "eligibility:association_signup": (None, expect(200)),
    "eligibility:dashboard": (None, expect(404, anonymous=302, household=200)),
    "eligibility:questionnaire": (None, expect(404, anonymous=302, household=200)),
    "eligibility:decision": (
        lambda w: {"pk": w.decision.pk},
        expect(404, anonymous=302, household=200, referrer=200, reviewer=200, coordinator=200),
    ),
    "eligibility:revoke_mandate": (lambda w: {"pk": w.mandate.pk}, expect(405, anonymous=302)),
    # A household answers, in its own space, a mandate a referrer asked it for (POST only).
    "eligibility:accept_mandate": (lambda w: {"pk": w.mandate.pk}, expect(405, anonymous=302)),
    "eligibility:refuse_mandate": (lambda w: {"pk": w.mandate.pk}, expect(405, anonymous=302)),
    "eligibility:referrer_dashboard": (None, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_household_create": (None, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_household": (HOUSEHOLD, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_mandate_renew": (HOUSEHOLD, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_attest": (HOUSEHOLD, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_document": (HOUSEHOLD, expect(404, anonymous=302, referrer=200)),
    "eligibility:referrer_sign_in_code": (HOUSEHOLD, expect(405, anonymous=302)),
    "eligibility:referrer_mandate_print": (
        lambda w: {"pk": w.mandate.pk},
        expect(404, anonymous=302, referrer=200),
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

BODY_FIRST = expect(422, anonymous=401)
LOT_ID = lambda w: {"lot_id": w.lot.pk}  # noqa: E731

# "METHOD /path" -> (path kwargs builder, expected status per identity), for a request without a body.
OPERATIONS = {
    "POST /api/v1/lots": (None, BODY_FIRST),
    "GET /api/v1/lots/{lot_id}": (
        LOT_ID,
        expect(404, anonymous=401, donor=200, workshop=200, coordinator=200),
    ),
    "GET /api/v1/lots/{lot_id}/report": (
        LOT_ID,
        expect(404, anonymous=401, donor=200, workshop=200, coordinator=200),
    ),
    "POST /api/v1/lots/{lot_id}/manifest": (LOT_ID, BODY_FIRST),
    "POST /api/v1/lots/{lot_id}/submit": (LOT_ID, expect(404, anonymous=401, donor=422)),
    "POST /api/v1/jobs/{job_id}/mapping": (lambda w: {"job_id": w.job.pk}, BODY_FIRST),
    "GET /api/v1/jobs/{job_id}": (
        lambda w: {"job_id": w.job.pk},
        expect(404, anonymous=401, donor=200, coordinator=200),
    ),
    "GET /api/v1/me": (None, expect(200, anonymous=401)),
    "GET /api/v1/organisations": (None, expect(200, anonymous=401)),
    "GET /api/v1/organisations/{organisation_id}": (
        lambda w: {"organisation_id": w.orgs["donor"].pk},
        expect(404, anonymous=401, donor=200, coordinator=200),
    ),
    "GET /api/v1/catalogue": (None, expect(200)),
    "GET /api/v1/open-data/lieux.csv": (None, expect(200)),
    "GET /api/v1/open-data/lieux.json": (None, expect(200)),
    # Lists are filtered by the policy: everyone signed in gets 200 with what they may see.
    "GET /api/v1/devices": (None, expect(200, anonymous=401)),
    "GET /api/v1/households": (None, expect(200, anonymous=401)),
    "GET /api/v1/devices/{device_id}": (
        lambda w: {"device_id": w.device.pk},
        expect(404, anonymous=401, workshop=200, coordinator=200),
    ),
    # The claim's beneficiary, the referrer who follows them, the workshop holding the device, and staff.
    "GET /api/v1/claims/{claim_id}": (
        lambda w: {"claim_id": w.claim.pk},
        expect(200, anonymous=401, association=404, donor=404, reviewer=404),
    ),
    "GET /api/v1/eligibility/{decision_id}": (
        lambda w: {"decision_id": w.decision.pk},
        expect(404, anonymous=401, household=200, referrer=200, reviewer=200, coordinator=200),
    ),
    # Identities are tried in order within one transaction: the household cancels its claim (no body needed),
    # so the referrer then meets a cancelled claim (409); everyone else must not see it (404).
    "POST /api/v1/claims/{claim_id}/cancel": (
        lambda w: {"claim_id": w.claim.pk},
        expect(404, anonymous=401, household=200, referrer=409),
    ),
    # Paying a reserved claim with no payment method chosen: 409 for those who may see it.
    "POST /api/v1/claims/{claim_id}/pay": (
        lambda w: {"claim_id": w.claim.pk},
        expect(404, anonymous=401, household=409, referrer=409),
    ),
    # The body is validated before the handler runs: 422 for every signed-in person, whatever their role.
    "POST /api/v1/claims": (None, BODY_FIRST),
    "POST /api/v1/claims/batch": (None, BODY_FIRST),
    "POST /api/v1/claims/{claim_id}/handover": (lambda w: {"claim_id": w.claim.pk}, BODY_FIRST),
    "POST /api/v1/claims/{claim_id}/pay/card": (lambda w: {"claim_id": w.claim.pk}, BODY_FIRST),
    "POST /api/v1/devices": (None, BODY_FIRST),
    "POST /api/v1/devices/import": (None, BODY_FIRST),
    "POST /api/v1/devices/reports": (None, BODY_FIRST),
    "POST /api/v1/devices/{device_id}/reports": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "PATCH /api/v1/devices/{device_id}": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "POST /api/v1/devices/{device_id}/erasure": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "POST /api/v1/devices/{device_id}/transition": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "POST /api/v1/eligibility": (None, BODY_FIRST),
    "POST /api/v1/households": (None, BODY_FIRST),
    # Public (Stripe signs it): an unsigned call is refused with 400 for anyone.
    "POST /api/v1/payments/stripe/webhook": (None, expect(400)),
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


def api_operations():
    document = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_project_route_is_in_the_matrix():
    missing = project_routes() - set(PAGES)
    assert not missing, f"Routes without an access-matrix entry: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    missing = api_operations() - set(OPERATIONS)
    assert not missing, f"API operations without an access-matrix entry: {sorted(missing)}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (like setUpTestData) and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(db, world, name):
    builder, expected = PAGES[name]
    url = reverse(name, kwargs=builder(world) if builder else None)
    wrong = []
    for identity in IDENTITIES:
        response = client_for(world.users[identity]).get(url)
        if response.status_code != expected[identity]:
            wrong.append(f"{identity}: {response.status_code} (expected {expected[identity]})")
        elif response.status_code == 302 and identity == "anonymous" and name != "accounts:login":
            if not response["Location"].startswith(reverse("accounts:login")):
                wrong.append(f"anonymous sent to {response['Location']} instead of the sign-in page")
    assert not wrong, f"{name} {url}: " + "; ".join(wrong)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api_access(db, world, operation):
    builder, expected = OPERATIONS[operation]
    method, path = operation.split(" ", 1)
    path = path.format(**(builder(world) if builder else {}))
    wrong = []
    for identity in IDENTITIES:
        response = client_for(world.users[identity]).generic(method, path)
        if response.status_code != expected[identity]:
            wrong.append(f"{identity}: {response.status_code} (expected {expected[identity]})")
        elif response.status_code >= 400 and not {"detail", "code"} <= set(response.json()):
            wrong.append(f"{identity}: error body {response.content[:100]!r} is not in the API error format")
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


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
    "api_tokens:index",
    "receipt_caps:index",
    "tax_receipt_reviews:index",
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
]


@pytest.mark.parametrize("name,args", STAFF_ONLY_ACTIONS)
def test_only_coordinators_reach_admin_actions(db, world, name, args):
    url = reverse(name, args=args(world))
    for identity in ("reviewer", "household", "referrer", "association", "donor", "workshop"):
        response = client_for(world.users[identity]).post(url)
        refused = response.status_code == 403 or (
            response.status_code == 302
            and not response["Location"].startswith(
                (reverse("claims_claim:index"), reverse("tax_receipt_reviews:index"))
            )
        )
        assert refused, f"{identity} got {response.status_code} on {url}"
    assert client_for(world.users["coordinator"]).get(url).status_code == 200
