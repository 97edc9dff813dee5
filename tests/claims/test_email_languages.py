"""Every message Rebond sends is in its reader's language: the account keeps the language of its sign-up page,
follows the site's switcher and the account page, and each email is written in it (subject, body, money, dates),
whatever the language of the request or the worker that sends it. Emails are made in one place only."""

import ast
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from reuse.accounts import invitations, services
from reuse.accounts.models import User
from reuse.claims.services import reservations
from reuse.claims.tasks import remind_expiring_claims
from tests.factories.accounts import OrganisationFactory, household, member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SIGN_UP = {
    "first_name": "Inès",
    "last_name": "Petit",
    "email": "ines@example.test",
    "postcode": "93200",
    "household_size": 2,
    "birth_date": "1990-01-02",
    "password": "vélo-bleu7-rouge",
}


def in_language(language: str, french: str) -> str:
    """What the catalogue says for `french` in `language` (the French text itself in French)."""
    with translation.override(language):
        return gettext(french)


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_household_signs_up_claims_and_reads_its_emails_in_the_language_of_its_sign_up(
    client, programme, language
):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.post("/eligibilite/inscription/", SIGN_UP)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="ines@example.test")
    assert user.language == language
    eligible(user, programme=programme)
    device = DeviceFactory(listed=True, price_cents=0)
    mail.outbox.clear()
    with translation.override("fr" if language == "en" else "en"):  # whatever the language around the send
        response = client.post(f"/catalogue/{device.pk}/demander/")
    assert response.status_code == 302 and response.url.startswith("/demandes/")
    sent = emails_to("ines@example.test")
    assert {message.subject for message in sent} == {
        in_language(language, "Votre demande est confirmée"),
        in_language(language, "Votre appareil vous attend à l’atelier"),
    }
    for message in sent:
        assert message.extra_headers["Content-Language"] == language
        assert message.body.startswith(in_language(language, "Bonjour,"))
        assert in_language(language, "Votre demande :") in message.body
        html = message.alternatives[0][0]
        assert f'<html lang="{language}">' in html
        assert in_language(language, "Voir ma demande") in html
    ready = next(
        m for m in sent if m.subject == in_language(language, "Votre appareil vous attend à l’atelier")
    )
    assert in_language(language, "Montrez-le ou dites-le à l’atelier.") in ready.body
    if language == "en":
        assert "Your device is waiting for you at the workshop" == ready.subject
        assert "Bonjour" not in ready.body and "Workshop: " in ready.body


def test_a_task_that_sends_later_writes_in_the_recipient_language_not_the_worker(programme):
    english, french = (
        eligible(household(email="en@example.test")),
        eligible(household(email="fr@example.test")),
    )
    User.objects.filter(pk=english.pk).update(language="en")
    for person in (english, french):
        reservations.create_claim(
            actor=User.objects.get(pk=person.pk), device_id=DeviceFactory(listed=True).pk
        )
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(hours=40), tick=False):
        with translation.override("fr"):  # the worker's own language
            assert remind_expiring_claims() == 2
    (to_english,), (to_french,) = emails_to("en@example.test"), emails_to("fr@example.test")
    assert to_english.subject == "Your reservation ends soon"
    assert "Left to pay: " in to_english.body and " at " in to_english.body  # money and the date, in English
    assert to_french.subject == "Votre réservation se termine bientôt"
    assert "Reste à payer : " in to_french.body


def test_an_address_without_an_account_is_written_to_in_french_and_one_of_an_account_in_its_language():
    member = household(email="contact@atelier.test")
    User.objects.filter(pk=member.pk).update(language="en")
    organisation = OrganisationFactory(email="contact@atelier.test")
    stranger = services.notify(
        template="organisation_approved", context={"organisation": organisation}, to_email="x@example.test"
    )
    known = services.notify(
        template="organisation_approved",
        context={"organisation": organisation},
        to_email="contact@atelier.test",
    )
    assert (stranger.language, known.language) == ("fr", "en")
    assert known.subject == f"Rebond: {organisation.name} is verified"
    assert stranger.subject == f"Rebond : {organisation.name} est vérifiée"


@pytest.mark.parametrize(
    ("inviter_language", "subject", "words"),
    [
        ("en", "Invitation to join Atelier Nord on Rebond", ["invites you to join Atelier Nord", "Accept"]),
        ("fr", "Invitation à rejoindre Atelier Nord sur Rebond", ["vous invite à rejoindre", "Accepter"]),
    ],
)
def test_an_invitation_to_someone_without_an_account_is_in_the_language_of_whoever_invites(
    client, inviter_language, subject, words
):
    """Nobody knows the invitee's language but the colleague who invites them, who reads Rebond in their
    chosen language: the invitation is written in it (the site's language would be a guess)."""
    organisation = OrganisationFactory(name="Atelier Nord")
    inviter = member_of(organisation, language=inviter_language)
    client.force_login(inviter)
    client.post(f"/compte/organisations/{organisation.pk}/inviter/", {"email": "new@example.test"})
    (message,) = emails_to("new@example.test")
    assert message.subject == subject and message.extra_headers["Content-Language"] == inviter_language
    assert all(word in message.body for word in words), message.body


def test_an_invitation_to_someone_with_an_account_is_in_their_own_language():
    organisation = OrganisationFactory(name="Atelier Nord")
    inviter = member_of(organisation, language="fr")
    household(email="known@example.test")
    User.objects.filter(email="known@example.test").update(language="en")
    invitations.invite(organisation=organisation, email="known@example.test", by=inviter)
    (message,) = emails_to("known@example.test")
    assert message.subject == "Invitation to join Atelier Nord on Rebond"


def test_the_password_reset_email_is_in_the_account_language(client):
    user = household(email="reset@example.test")
    user.set_password("vélo-bleu7-rouge")
    user.language = "en"
    user.save()
    client.post("/compte/mot-de-passe/oubli/", {"email": "reset@example.test"})
    (message,) = emails_to("reset@example.test")
    assert message.subject == "Rebond: choose a new password"
    assert message.extra_headers["Content-Language"] == "en"


def test_the_site_switcher_changes_a_signed_in_account_language(client):
    user = household()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.post(
        "/i18n/setlang/", {"language": "de", "next": "/"}
    )  # not a language of the site: nothing moves
    user.refresh_from_db()
    assert user.language == "en"


def test_the_account_page_changes_the_language_of_messages_and_of_the_site(client):
    user = household()
    client.force_login(user)
    assert 'name="language"' in client.get("/compte/mes-donnees/").content.decode()
    response = client.post("/compte/langue/", {"language": "xx"})
    user.refresh_from_db()
    assert response.status_code == 302 and user.language == "fr"
    response = client.post("/compte/langue/", {"language": "en"}, follow=True)
    user.refresh_from_db()
    assert user.language == "en"
    assert "Rebond will now write to you in this language." in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_signed_in_person_without_a_language_cookie_reads_the_site_in_the_account_language(client):
    user = household()
    User.objects.filter(pk=user.pk).update(language="en")
    client.force_login(user)
    html = client.get("/compte/mes-donnees/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Download my data" in html
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert json.loads(client.get("/compte/mes-donnees/copie/").content)["account"]["language"] == "en"
    # French, every account's language before accounts had one, does not override the browser's choice.
    client.cookies.clear()
    client.force_login(household())
    html = client.get("/compte/mes-donnees/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Download my data" in html


MAKERS = {
    "EmailMessage",
    "EmailMultiAlternatives",
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
}
HELPER = "reuse/accounts/emails.py"


def _sources():
    for package in ("reuse", "donations", "inventory", "cms"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_no_email_is_made_or_its_template_rendered_outside_the_language_helper():
    """A new email cannot forget its reader's language: only reuse/accounts/emails.py builds an email object
    or renders templates/emails/*; everything else goes through notify (or written_for and outgoing)."""
    found = []
    for name, tree in _sources():
        if name == HELPER:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.alias) and node.name.split(".")[-1] in MAKERS:
                found.append(f"{name}:{node.lineno} imports {node.name}")
            if isinstance(node, ast.Attribute) and node.attr in MAKERS:
                found.append(f"{name}:{node.lineno} uses {node.attr}")
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("emails/")
            ):
                found.append(f"{name}:{node.lineno} renders {node.value}")
    assert found == []


def test_every_word_of_an_email_template_goes_through_the_catalogue():
    """Text outside {% translate %} / {% blocktranslate %} would reach every reader in French."""
    left = {}
    for path in sorted((ROOT / "templates" / "emails").rglob("*.*")):
        text = re.sub(r"{% comment %}.*?{% endcomment %}", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", text, flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}|<[^>]*>", "", text, flags=re.S)
        text = re.sub(r"\S*/\S*|\?\w+=", "", text)  # the paths of links
        if words := re.findall(r"[^\W\d_]{2,}", text):
            left[path.name] = words
    assert left == {}
