"""Names people type reach other people's emails as typed: the subject and the plain-text part are text, never
HTML (« L'Atelier & Cie », not « L&#x27;Atelier &amp; Cie »), and the HTML part escapes them, so that markup in a
name is shown, never run or linked."""

import pytest
from django.core import mail

from reuse.accounts import invitations
from reuse.accounts.emails import written_for
from tests.factories.accounts import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

NAME = 'L\'Atelier <b>& Cie</b> "Bis"'
INVITER = "Jean-Luc <a href='https://evil.example'>O'Brien</a>"


def test_an_invitation_shows_the_names_as_typed_in_text_and_escaped_in_html(
    django_capture_on_commit_callbacks,
):
    organisation = OrganisationFactory(name=NAME)
    first, last = INVITER.split(" ", 1)
    inviter = member_of(organisation, first_name=first, last_name=last)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(organisation=organisation, email="new@example.org", by=inviter)
    [message] = mail.outbox
    assert NAME in message.body
    assert "O'Brien" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body and "&lt;" not in message.body
    html = message.alternatives[0][0]
    assert "L&#x27;Atelier &lt;b&gt;&amp; Cie&lt;/b&gt;" in html
    assert "<a href='https://evil.example'>" not in html


def test_a_subject_shows_the_name_as_typed():
    organisation = OrganisationFactory(name=NAME, pending=True)
    member_of(organisation, email="admin@example.org")
    written = written_for("fr", "organisation_approved", {"organisation": organisation})
    assert NAME in written.subject
    assert "&#x27;" not in written.subject
