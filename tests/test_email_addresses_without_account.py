"""An address without an account (a lot's contact, an organisation's contact address) has no language of its own:
it is written to in the language of whoever gave it (the person who declared the lot, the organisation's
members), not in French by default nor in the language of the worker that sends it."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from donations import transitions
from reuse.accounts import services
from reuse.accounts.enums import MembershipRole
from reuse.accounts.models import Notification
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def only_email_to(address: str) -> Notification:
    """The one email queued for `address` (in the outbox, before its task sends it)."""
    return Notification.objects.get(to_email=address)


@pytest.mark.parametrize(
    ("language", "subject"), [("en", "Your lot “Écrans”: "), ("fr", "Votre lot « Écrans » : ")]
)
def test_a_lots_contact_is_written_to_in_the_language_of_whoever_declared_the_lot(language, subject):
    lot = LotFactory(
        title="Écrans", created_by=UserFactory(language=language), contact_email="stock@donor.test"
    )
    with translation.override("fr" if language == "en" else "en"):  # whatever the worker's language
        transitions.notify_donor(lot=lot, template="lot_status")
    message = only_email_to("stock@donor.test")
    assert message.subject.startswith(subject), message.subject
    assert message.language == language


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en", "Rebond: Asso Nord is verified"), ("fr", "Rebond : Asso Nord est vérifiée")],
)
def test_an_organisations_contact_address_is_written_to_in_its_members_language(language, subject):
    organisation = OrganisationFactory(pending=True, name="Asso Nord", email="contact@asso-nord.test")
    MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER, user=UserFactory(language="fr"))
    MembershipFactory(
        organisation=organisation, role=MembershipRole.ADMIN, user=UserFactory(language=language)
    )
    with translation.override("fr" if language == "en" else "en"):
        services.approve_organisation(organisation=organisation, by=UserFactory(is_staff=True))
    message = only_email_to("contact@asso-nord.test")
    assert message.subject == subject
    assert message.language == language


def test_every_email_to_a_bare_address_says_whose_language_to_write_in():
    """A new path that writes to an address (`notify(to_email=…)`) cannot leave it to French by default: it names
    the language of whoever gave the address (`language_if_unknown`)."""
    found = []
    for package in ("reuse", "donations", "inventory", "cms"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                keywords = {keyword.arg for keyword in node.keywords}
                if name == "notify" and "to_email" in keywords and "language_if_unknown" not in keywords:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
