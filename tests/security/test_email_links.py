"""What Rebond's emails carry: links on the public address, whatever Host the request that sent them named, and
codes a browser's translator leaves as they are.

A request may reach the site under another name it answers to (a wildcard subdomain, the bare address): a link
built from that Host would send the person who opens the email elsewhere, with their invitation or their sign-in in
the address. And a translator that turns « K7Q-4M2 » into other letters (Chrome's, Gmail's « Traduire ») makes the
code shown at the workshop counter wrong: pages mark codes `translate="no"` (HTML 5.2, §3.2.5.3 « the translate
attribute »), so must the emails' HTML part.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from reuse.accounts.enums import MembershipRole
from reuse.accounts.models import Membership
from reuse.claims.services import reservations
from tests import fixtures
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db
programme = fixtures.checked_programme
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once


@pytest.fixture
def public_address(settings):
    settings.ALLOWED_HOSTS = ["testserver", "rebond.example", ".rebond.example"]
    settings.PUBLIC_BASE_URL = "https://rebond.example"


def assert_on_the_public_address(message):
    for body in [message.body, *(content for content, _kind in message.alternatives)]:
        assert "evil.rebond.example" not in body
        assert "https://rebond.example/" in body


def test_an_invitation_links_to_the_public_address_whatever_host_asked(client, public_address):
    organisation = OrganisationFactory()
    admin = UserFactory()
    Membership.objects.create(user=admin, organisation=organisation, role=MembershipRole.ADMIN)
    client.force_login(admin)
    client.post(
        reverse("accounts:organisation_invite", args=[organisation.pk]),
        {"email": "colleague@example.test"},
        HTTP_HOST="evil.rebond.example",
    )
    (message,) = mail.outbox
    assert_on_the_public_address(message)


class UntranslatedText(HTMLParser):
    """The text of an HTML document, each piece with whether an element around it says translate="no"."""

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.pieces: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in {"br", "meta", "img", "hr", "input", "link"}:
            self.stack.append(dict(attrs).get("translate") == "no")

    def handle_endtag(self, tag):
        if tag not in {"br", "meta", "img", "hr", "input", "link"} and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        self.pieces.append((data, any(self.stack)))


def test_the_handover_code_in_the_ready_email_is_left_untranslated(programme):
    household = eligible()
    claim = reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True, free=True).pk)
    (ready,) = [m for m in mail.outbox if "vous attend" in m.subject]
    page = UntranslatedText()
    page.feed(ready.alternatives[0][0])
    code = claim.handover_code_display
    assert any(code in text for text, _kept in page.pieces)
    assert all(kept for text, kept in page.pieces if code in text), page.pieces


# A code printed in an email's HTML: `{{ code }}`, `{{ claim.handover_code_display }}`… (not in a link's address).
PRINTED_CODE = re.compile(r"(?<![=/?])\{\{ *(?:[\w.]*\.)?(?:code|\w*_code(?:_display)?) *\}\}")
EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"


def test_every_code_an_email_prints_is_marked_untranslated():
    unmarked = [
        f"{path.name}: …{text[max(0, found.start() - 40) : found.end()]}"
        for path in sorted(EMAILS.rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for found in PRINTED_CODE.finditer(text)
        if not text[: found.start()].endswith('translate="no">')
    ]
    assert unmarked == [], 'Wrap the code in an element with translate="no":\n' + "\n".join(unmarked)
