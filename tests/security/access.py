"""The people and objects of the access matrix (test_access_matrix.py for pages, test_api_access_matrix.py
for API operations, test_admin_access_matrix.py for the Wagtail admin): one person per identity, each with an
organisation of their kind, and the objects they should or should not reach."""

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client

from donations.models import ImportJob, ReceiptValueCap
from donations.receipts import issue_tax_receipt
from inventory.donor_reports.certificates import issue_certificate
from inventory.models import ErasureReport
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.invitations import invite
from reuse.claims.services import reservations
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import EligibilityDecision
from reuse.tripod import services as tripod_services
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, UserFactory, member_of
from tests.factories.claims import VoucherFactory, VoucherFunderFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.eligibility import MandateFactory, ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, ErasureReportFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import ConnectivityOfferFactory

IDENTITIES = [
    "anonymous",
    "household",
    "referrer",
    # A referrer of another organisation whose mandate from the same household covers its claims only: it sees
    # whether the household is eligible, until when and for which programme, never the decision itself.
    "claims_referrer",
    "association",
    "donor",
    "workshop",
    "reviewer",
    "coordinator",
]


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
        self._referrer_under("claims_referrer", household, MandateScope.CLAIMS)
        # And one whose mandate covers eligibility only: tests/security/test_mandate_scopes.py tries it on every
        # claim page and operation (not an identity of the matrices: it is the referrer's everywhere else).
        self._referrer_under("eligibility_referrer", household, MandateScope.ELIGIBILITY)
        eligible(household, programme=self.programme)
        self.decision = EligibilityDecision.objects.get(beneficiary=household)
        eligible(organisation=self.orgs["association"], programme=self.programme)
        # Devices of the workshop: one listed in the catalogue, one claimed by the household.
        self.device = DeviceFactory(listed=True, workshop=self.orgs["workshop"])
        claimed = DeviceFactory(listed=True, workshop=self.orgs["workshop"])
        self.claim = reservations.create_claim(actor=household, device_id=claimed.pk)
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
        self.report = ErasureReportFactory(
            workshop=self.orgs["workshop"], tool_version="0.35", uploaded_by=self.users["workshop"]
        )
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

    def _referrer_under(self, identity, household, scope):
        """A member of another referrer organisation, whose mandate from `household` covers `scope` only."""
        self.orgs[identity] = OrganisationFactory(kind=OrganisationKind.REFERRER)
        self.users[identity] = member_of(self.orgs[identity])
        MandateFactory(
            household=household,
            referrer_organisation=self.orgs[identity],
            referrer=self.users[identity],
            scopes=[scope],
        )

    def report_file(self) -> ErasureReport:
        """The report with its file: each test's private folder is emptied when it ends."""
        storage = self.report.file.storage
        if not storage.exists(self.report_name):
            storage.save(self.report_name, ContentFile(b"nwipe"))
        return self.report


def expect(default, **by_identity):
    """Expected status per identity: `default` for everyone not named, but the claims-only referrer, who gets
    what the referrer gets unless it is named."""
    expected = {identity: by_identity.get(identity, default) for identity in IDENTITIES}
    expected["claims_referrer"] = by_identity.get("claims_referrer", expected["referrer"])
    return expected


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def wrong_answers(world, expected, send, check=None) -> list[str]:
    """What each identity got that it should not: another status than `expected` gives, or what `check(identity,
    response)` finds wrong in an answer of the expected status."""
    wrong = []
    for identity in IDENTITIES:
        response = send(client_for(world.users[identity]))
        if response.status_code != expected[identity]:
            wrong.append(f"{identity}: {response.status_code} (expected {expected[identity]})")
        elif check and (problem := check(identity, response)):
            wrong.append(problem)
    return wrong
