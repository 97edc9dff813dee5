"""The access matrix of the pages test_access_matrix.py does not list: after-care (tickets, the 3-month
follow-up), territories and small structures' cheques.

The same people as the main matrix (tests/security/access.py), plus what these pages need: a household followed
by the matrix's referrer whose device was handed over by the matrix's workshop, its warranty ticket and its
follow-up, and a batch of equipment cheques of a funder the referrer's organisation runs. Routes are read from
the URL resolver, so a new route of these apps without an entry here fails the suite. The household, ticket,
follow-up and batch here are the referrer organisation's only: the claims-only referrer (another organisation)
gets 404 for them.
"""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from reuse.aftercare.services import follow_ups, tickets
from reuse.aftercare.views import SESSION_TICKETS
from reuse.claims import handover as counter
from reuse.claims.services import reservations
from reuse.structures.services import issue_batch
from tests.factories.accounts import HouseholdProfileFactory, UserFactory
from tests.factories.claims import VoucherFunderFactory
from tests.factories.eligibility import MandateFactory, eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.structures import ChequeProgrammeFactory
from tests.security.access import World, client_for, expect
from tests.security.test_access_matrix import assert_page_access, named_routes, not_kept_problem

NAMESPACES = {"aftercare", "territories", "structures"}
# Pages that follow a public form (the follow-up code, a structure's sign-up): an anonymous visitor goes back to it.
AFTER_A_FORM = {"aftercare:follow_up_answer", "structures:registered"}
PHOTO = b"\xff\xd8\xff\xe0 a photo, already re-encoded when the ticket was opened"


class AftercareWorld(World):
    def __init__(self):
        super().__init__()
        referrer_org, workshop = self.orgs["referrer"], self.orgs["workshop"]
        followed = HouseholdProfileFactory(postcode="93200").user
        MandateFactory(
            household=followed, referrer_organisation=referrer_org, referrer=self.users["referrer"]
        )
        eligible(followed, programme=self.programme)
        device = DeviceFactory(listed=True, workshop=workshop, price_cents=0)
        claim = reservations.create_claim(actor=followed, device_id=device.pk)
        counter.hand_over(actor=self.users["workshop"], claim_id=claim.pk, code=claim.handover_code)
        self.followed, self.handed = followed, claim
        self.ticket = tickets.open_ticket(actor=followed, claim_id=claim.pk, description="L’écran clignote.")
        self.ticket.photo.save("photo.jpg", ContentFile(PHOTO), save=True)
        self.photo_name = self.ticket.photo.name
        self.follow_up = follow_ups.follow_up_for(claim)
        funder = VoucherFunderFactory(organisation=referrer_org)
        programme = ChequeProgrammeFactory(funder=funder)
        self.batch = issue_batch(programme=programme, count=2, by=UserFactory(is_staff=True))

    def ticket_with_photo(self):
        """The ticket with its photo file: each test's private folder is emptied when it ends."""
        storage = self.ticket.photo.storage
        if not storage.exists(self.photo_name):
            storage.save(self.photo_name, ContentFile(PHOTO))
        return self.ticket


@pytest.fixture(scope="module")
def aftercare_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield AftercareWorld()
        transaction.set_rollback(True)


WORKSHOP_ONLY = expect(403, anonymous=302, workshop=200, coordinator=403)
TICKET = lambda w: {"pk": w.ticket.pk}  # noqa: E731

PAGES = {
    # Public: the receipt's number and code open a ticket; the follow-up's code opens its questionnaire.
    "aftercare:open": (None, expect(200)),
    "aftercare:follow_up": (None, expect(200)),
    # Without a follow-up code in the session, the questionnaire sends everyone to the code page.
    "aftercare:follow_up_answer": (None, expect(302)),
    # The email's stop link: a page that asks to confirm, for anyone holding the code.
    "aftercare:follow_up_stop": (None, expect(200)),
    # From the claimant's space: the household and the referrer who follows it (claims scope).
    "aftercare:open_for_claim": (
        lambda w: {"claim_pk": w.handed.pk},
        expect(404, anonymous=302, referrer=200, claims_referrer=404),
    ),
    # A ticket: its claimant side, the workshop that handed the device over, and staff.
    # Reviewers are staff for the eligibility queue only: not for tickets, rates nor cheques.
    "aftercare:ticket": (
        TICKET,
        expect(404, referrer=200, claims_referrer=404, workshop=200, coordinator=200),
    ),
    "aftercare:ticket_photo": (
        lambda w: {"pk": w.ticket_with_photo().pk},
        expect(404, referrer=200, claims_referrer=404, workshop=200, coordinator=200),
    ),
    "aftercare:triage": (lambda w: {"pk": w.ticket.pk, "step": "advice"}, expect(405, anonymous=302)),
    "aftercare:workshop": (None, WORKSHOP_ONLY),
    "aftercare:rates": (None, expect(403, anonymous=302, workshop=200, coordinator=200)),
    # Each referrer's own list; a referrer's page, not found for anyone else (as eligibility:referrer_dashboard).
    "aftercare:referrer_follow_ups": (None, expect(404, anonymous=302, referrer=200)),
    "aftercare:referrer_follow_up": (
        lambda w: {"pk": w.follow_up.pk},
        expect(404, anonymous=302, referrer=200, claims_referrer=404),
    ),
    "territories:priority": (None, expect(200)),
    # The main world's household, whose claims the claims-only referrer does follow: attesting its territory acts
    # on its eligibility, outside that mandate.
    "territories:attest": (
        lambda w: {"pk": w.users["household"].pk},
        expect(404, anonymous=302, referrer=200, claims_referrer=404),
    ),
    "structures:programmes": (None, expect(200)),
    "structures:signup": (None, expect(200)),
    "structures:registered": (None, expect(200, anonymous=302)),
    # The printable cheques of a batch: the funder's members and staff.
    "structures:batch_print": (
        lambda w: {"pk": w.batch.pk},
        expect(404, referrer=200, claims_referrer=404, coordinator=200),
    ),
}


def test_every_route_of_these_apps_is_in_the_matrix():
    routes = {name for name in named_routes() if name.split(":")[0] in NAMESPACES}
    missing = routes - set(PAGES)
    assert not missing, f"Routes without an access-matrix entry: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(db, aftercare_world, name):
    assert_page_access(aftercare_world, name, *PAGES[name], sends_anonymous_elsewhere=AFTER_A_FORM)


def test_a_ticket_photo_whose_file_is_gone_is_404_not_a_server_error(db, aftercare_world):
    ticket = aftercare_world.ticket_with_photo()
    ticket.photo.storage.delete(aftercare_world.photo_name)
    url = reverse("aftercare:ticket_photo", kwargs={"pk": ticket.pk})
    assert client_for(aftercare_world.users["workshop"]).get(url).status_code == 404


def test_a_ticket_followed_without_an_account_is_kept_by_no_cache(db, aftercare_world):
    """Whoever opened a ticket with the receipt's code follows it in the same browser, often a public computer:
    the page (with the replacement's handover code once there is one) must not stay in its cache."""
    client = client_for(None)
    session = client.session
    session[SESSION_TICKETS] = [aftercare_world.ticket.pk]
    session.save()
    response = client.get(reverse("aftercare:ticket", kwargs={"pk": aftercare_world.ticket.pk}))
    assert response.status_code == 200 and not not_kept_problem(response)


def test_a_questionnaire_opened_with_its_printed_code_ends_with_the_browser(db, aftercare_world):
    """Typed on a shared computer, the receipt's questionnaire code opens a session that closing the browser ends
    (tests/security/test_code_reprint.py says why), not one the next person at that computer finds open."""
    follow_up = aftercare_world.follow_up
    client = client_for(None)
    with time_machine.travel(follow_up.due_on + datetime.timedelta(days=1), tick=False):
        response = client.post(reverse("aftercare:follow_up"), {"code": follow_up.code})
    assert response.status_code == 302 and response["Location"] == reverse("aftercare:follow_up_answer")
    cookie = response.cookies["sessionid"]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]
