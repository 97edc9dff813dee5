"""The notes the platform writes in a lifecycle's journal beside a move are read in the reader's language.

A workshop working in French accepted a lot: its donor reading the lot's page in English read « Accepté par … »,
and a note written during an English request showed English to French readers, since the journal kept the words
of whoever wrote them. The journal now keeps a code with its parameters (`note_text`), written out when read,
beside the words a person typed (`note`, kept as they were typed and emptied when the account closes).
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations import services
from donations.models import LotEvent
from reuse.accounts.models import Notification
from reuse.claims import texts
from reuse.claims.models import ClaimEvent
from reuse.claims.texts import REFUNDED_AFTER_HANDOVER
from reuse.claims.transitions import CLAIMS
from reuse.errors import TEXTS, render_text
from tests.claims.helpers import confirmed_claim
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import workshop_with_member
from tests.fixtures import programme  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _accepted_lot(language):
    workshop, member = workshop_with_member()
    donor, user = donor_with_member()
    workshop.name = "Atelier du Canal"
    workshop.save(update_fields=["name"])
    lot = LotFactory(donor=donor, created_by=user, submitted=True, workshop=workshop)
    LotItemFactory(lot=lot)
    with translation.override(language):
        services.accept_lot(lot=lot, workshop=workshop, actor=member)
    return lot, user


@pytest.mark.parametrize(
    ("written_in", "read_in", "shown", "not_shown"),
    [
        ("fr", "en", "Accepted by Atelier du Canal.", "Accepté par"),
        ("en", "fr", "Accepté par Atelier du Canal.", "Accepted by"),
    ],
)
def test_a_lot_note_is_read_in_the_readers_language(client, written_in, read_in, shown, not_shown):
    lot, donor_user = _accepted_lot(written_in)
    client.force_login(donor_user)

    page = client.get(reverse("donations:lot", args=[lot.pk]), HTTP_ACCEPT_LANGUAGE=read_in).content.decode()

    assert shown in page
    assert not_shown not in page


def test_the_donors_personal_data_and_the_journal_read_the_same_way():
    lot, _user = _accepted_lot("fr")
    event = LotEvent.objects.filter(lot=lot).latest("pk")

    assert event.note == ""
    with translation.override("en"):
        assert event.shown_note == "Accepted by Atelier du Canal."
    with translation.override("fr"):
        assert event.shown_note == "Accepté par Atelier du Canal."


def test_words_stored_before_the_codes_show_as_they_were_written():
    lot, user = _accepted_lot("fr")
    old = LotEvent.objects.create(
        lot=lot, actor=user, from_status="", to_status=lot.status, note="Vieux mot."
    )

    with translation.override("en"):
        assert old.shown_note == "Vieux mot."


def test_a_code_and_typed_words_are_kept_apart_and_closure_forgets_the_words(programme):  # noqa: F811
    claim = confirmed_claim()
    CLAIMS.note(claim, note=[REFUNDED_AFTER_HANDOVER(), "Vu avec Mme X."])
    event = ClaimEvent.objects.filter(claim=claim).latest("pk")
    assert event.note == "Vu avec Mme X."
    assert event.note_text == REFUNDED_AFTER_HANDOVER()
    with translation.override("en"):
        assert event.shown_note.startswith("Payment refunded in full from Stripe after the handover")
        assert event.shown_note.endswith("Vu avec Mme X.")

    ClaimEvent.objects.filter(pk=event.pk).forget_words("note")
    event.refresh_from_db()
    with translation.override("en"):
        assert "Mme X" not in event.shown_note
        assert event.shown_note.startswith("Payment refunded in full")


def test_every_journal_text_has_its_english_words():
    journal = [text for code, text in TEXTS.items() if code.startswith("journal_")]
    assert journal
    for text in journal:
        with translation.override("en"):
            english = str(text.template)
        with translation.override("fr"):
            french = str(text.template)
        assert english != french, text.code


def test_the_donors_email_says_the_note_in_the_donors_language():
    workshop, member = workshop_with_member()
    donor, user = donor_with_member()
    user.language = "en"
    user.save(update_fields=["language"])
    lot = LotFactory(donor=donor, created_by=user, submitted=True, workshop=workshop)
    LotItemFactory(lot=lot)
    with translation.override("fr"):
        services.schedule_pickup(
            lot=services.accept_lot(lot=lot, workshop=workshop, actor=member),
            workshop=workshop,
            actor=member,
            when=timezone.now() + timedelta(days=3),
            note="Quai B",
        )

    bodies = " ".join(Notification.objects.filter(recipient=user).values_list("body_text", flat=True))
    assert f"Accepted by {workshop.name}." in bodies
    assert "Quai B" in bodies
    assert "Accepté par" not in bodies and "Enlèvement prévu" not in bodies


# A note is any sequence of what a person typed and what the platform says (the codes of every journal).
NOTES = st.lists(
    st.one_of(
        st.text(alphabet="abcdéèàç ’XYZ-", max_size=12),
        st.sampled_from([REFUNDED_AFTER_HANDOVER(), texts.CHOSE_WORKSHOP(), texts.DEVICE_CLAIMED(claim=7)]),
    ),
    max_size=5,
)


@pytest.fixture
def a_claim(programme):  # noqa: F811
    return confirmed_claim()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=NOTES)
def test_whatever_a_note_holds_every_part_is_shown_and_closure_leaves_only_the_codes(a_claim, note):
    event = CLAIMS.note(a_claim, note=note)
    typed = [part.strip() for part in note if isinstance(part, str) and part.strip()]
    codes = [part for part in note if isinstance(part, dict)]
    with translation.override("en"):
        shown = event.shown_note
        for code in codes:
            assert render_text(code) in shown
    for words in typed:
        assert words in shown

    ClaimEvent.objects.filter(pk=event.pk).forget_words("note")
    event.refresh_from_db()
    with translation.override("en"):
        assert event.shown_note == " ".join(render_text(code) for code in codes)


def test_every_page_shows_a_journal_note_through_shown_note():
    """A template reading `note` alone would show the typed words and drop the platform's codes."""
    root = Path(__file__).resolve().parent.parent / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.html")
        for match in re.finditer(r"\b(event|step|entry)\.note\b", path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_devices_history_reads_in_the_workshops_language(client, programme):  # noqa: F811
    workshop, member = workshop_with_member()
    with translation.override("fr"):
        claim = confirmed_claim(workshop=workshop)
    client.force_login(member)

    page = client.get(
        reverse("inventory:device", args=[claim.device.asset_tag]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert f"Claim #{claim.pk}" in page
    assert f"Demande #{claim.pk}" not in page
