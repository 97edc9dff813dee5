"""Every row that points at a person is accounted for, by construction (RGPD articles 15 and 17).

Every model (django.apps.get_models) is walked for a relation to the user model, directly or through the
household's own rows (claims, decisions, documents, tickets, payments); each must be in RELATIONS: in the person's
copy (where its JSON says), erased or blanked at closure, or kept for a stated reason. A model added tomorrow with
such a relation fails here until someone decides. A household with a row of each kind then downloads its copy and
closes its account: every section and erasure named below is checked, and no staff note still names it."""

import io
import json
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import Notification, User
from reuse.aftercare.models import Ticket, TicketEvent
from reuse.claims.enums import WaitlistStatus
from reuse.claims.models import Claim, ClaimEvent, WaitlistEntry
from reuse.eligibility.enums import Evidence, JournalAction
from reuse.eligibility.models import (
    DocumentAccess,
    EligibilityDecision,
    EligibilityDocument,
    Mandate,
    MandateJournalEntry,
    SignInCode,
)
from reuse.eligibility.services.decisions import notify_decision
from reuse.eligibility.services.drafts import save_draft
from reuse.journal import AppendOnlyError
from reuse.territories.enums import TerritoryKind
from reuse.territories.models import TerritoryAttestation
from reuse.tripod.models import HandoverChecklist, Orientation
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import EligibilityDecisionFactory, referrer_with_household
from tests.factories.tripod import ConnectivityOfferFactory
from tests.security.test_account_closure import (  # noqa: F401 (fixtures)
    FIRST,
    LAST,
    close,
    every_stored_value,
    person,
    programme,
    signed_in,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Gone:
    """Closing deletes the rows."""


@dataclass(frozen=True)
class Blanked:
    """Closing empties these fields of the rows (the rows stay for what points at them)."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class Kept:
    """Closing keeps the rows as they are, for `why`; what identified the person went with the account's row."""

    why: str


# Why rows are kept when the account closes.
ACCOUNTING = (
    "accounting record, kept 10 years (Code de commerce, art. L123-22), tied to the anonymous account"
)
ACTOR = "says who did something; once the account closes its row is anonymous, so the link names nobody"
MANDATE_JOURNAL = (
    "what a referrer did under a mandate, answerable to the household and staff; facts, no free text"
)
STAFF_ONLY = (
    "the admin's own records of staff at work (pages, images, workflows): households never enter the admin"
)
ORGANISATION = (
    "an organisation's member or its verification; a member leaves the organisation, staff close it"
)
DECISION = (
    "the eligibility a claim's price rested on (criteria, no document): kept with the claim it justifies"
)
COUNTED = "counted in the offers' and sessions' figures; nothing of the person once anonymous"
HASH = "a keyed hash of a printed code and its dates, no more: every code still running is revoked at closure"

# relation "app.Model.path" -> (where the copy lists it, or None; what closing does)
RELATIONS = {
    # The household's own rows.
    "accounts.HouseholdProfile.user": ("household", Blanked(("postcode", "birth_date"))),
    "accounts.Membership.user": ("account.organisations", Kept(ORGANISATION)),
    "accounts.Notification.recipient": ("notifications", Gone()),
    # An email to its referrer or association naming the household: theirs to read, gone with the account.
    "accounts.Notification.about": (None, Gone()),
    "eligibility.EligibilityDecision.beneficiary": ("eligibility.decisions", Kept(DECISION)),
    "eligibility.EligibilityDocument.decision__beneficiary": ("eligibility.documents", Blanked(("file",))),
    # Who read a document (staff checking it): answerable to the person, kept as the access log of a document.
    "eligibility.DocumentAccess.document__decision__beneficiary": ("eligibility.document_reads", Kept(ACTOR)),
    "eligibility.QuestionnaireDraft.household": ("eligibility.questionnaire_under_way", Gone()),
    # Made of name and birth date, to find duplicates; staff's check, the person sees their own name and birth date.
    "eligibility.HouseholdFingerprint.user": (None, Gone()),
    "eligibility.DuplicateFlag.first": (None, Gone()),
    "eligibility.DuplicateFlag.second": (None, Gone()),
    "eligibility.Mandate.household": ("eligibility.mandates", Blanked(("signed_name",))),
    "eligibility.MandateJournalEntry.household": ("eligibility.mandate_journal", Kept(MANDATE_JOURNAL)),
    "eligibility.SignInCode.user": ("eligibility.sign_in_codes", Kept(HASH)),
    "claims.Claim.beneficiary": ("claims", Kept(ACCOUNTING)),
    "claims.ClaimEvent.claim__beneficiary": ("claims", Blanked(("note",))),
    "claims.Payment.claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "claims.LedgerEntry.claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "claims.Voucher.claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "claims.Refund.payment__claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "claims.HandRefund.payment__claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "claims.WaitlistEntry.beneficiary": ("waitlist", Blanked(("postcode",))),
    "structures.EquipmentCheque.voucher__claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "aftercare.Ticket.claim__beneficiary": ("warranty_tickets", Blanked(("description", "photo"))),
    "aftercare.TicketEvent.ticket__claim__beneficiary": ("warranty_tickets", Blanked(("note",))),
    # The claim of the device given in exchange: the same household's ticket, read and erased as the one above.
    "aftercare.Ticket.replacement_claim__beneficiary": (
        "warranty_tickets",
        Blanked(("description", "photo")),
    ),
    "aftercare.TicketEvent.ticket__replacement_claim__beneficiary": ("warranty_tickets", Blanked(("note",))),
    # The 3-month answers count, anonymous, in the donors' impact figures.
    "aftercare.FollowUp.claim__beneficiary": ("follow_ups", Kept(ACCOUNTING)),
    "territories.TerritoryAttestation.household": ("territories", Kept(DECISION)),
    "territories.ClaimTerritory.claim__beneficiary": ("claims", Kept(DECISION)),
    "tripod.Orientation.household": ("first_use.connection_offers", Kept(COUNTED)),
    # Its seats are given back at closure (checked in test_account_closure).
    "tripod.SessionBooking.household": ("first_use.sessions", Kept(COUNTED)),
    "tripod.AllowanceHandout.claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "tripod.HandoverChecklist.claim__beneficiary": ("claims", Blanked(("note",))),
    "tripod.PassNumeriqueCheque.claim__beneficiary": ("claims", Kept(ACCOUNTING)),
    "wagtailcore.APIToken.user": (None, Gone()),
    "accounts.IdempotentRequest.user": (None, Gone()),  # answers kept 24 h for an API retry
    # Someone acting: staff, a workshop, a referrer, or the household on its own rows above.
    **{
        relation: (None, Kept(ACTOR))
        for relation in (
            "accounts.Organisation.approved_by",
            "accounts.Invitation.invited_by",
            "accounts.Invitation.accepted_by",
            "eligibility.EligibilityDecision.author",
            "eligibility.EligibilityDecision.reviewed_by",
            "eligibility.EligibilityDocument.uploaded_by",
            "eligibility.EligibilityDocument.reviewed_by",
            "eligibility.DocumentAccess.viewer",
            "eligibility.DuplicateFlag.resolved_by",
            "eligibility.Mandate.referrer",
            "eligibility.Mandate.consent_recorded_by",
            "eligibility.MandateJournalEntry.actor",
            "eligibility.SignInCode.created_by",
            "eligibility.AssociationProfile.verified_by",
            "eligibility.ReferrerAccreditation.accredited_by",
            "claims.Claim.claimed_by",
            "claims.Claim.handover_unlocked_by",
            "claims.Claim.handed_over_by",
            "claims.ClaimEvent.actor",
            "claims.WaitlistEntry.created_by",
            "claims.Payment.recorded_by",
            "claims.Refund.requested_by",
            "claims.HandRefund.given_by",
            "aftercare.Ticket.opened_by",
            "aftercare.TicketEvent.actor",
            "aftercare.FollowUp.answered_by",
            "territories.TerritoryAttestation.attested_by",
            "structures.StructureProfile.verified_by",
            "structures.ChequeBatch.created_by",
            "tripod.AllowanceHandout.handed_by",
            "tripod.HandoverChecklist.recorded_by",
            "tripod.PassNumeriqueCheque.recorded_by",
            "tripod.Orientation.oriented_by",
            "tripod.PlaceImport.by",
            "tripod.SessionSlot.created_by",
            "tripod.SessionBooking.booked_by",
            "tripod.SessionBooking.marked_by",
            "donations.Lot.created_by",
            "donations.LotEvent.actor",
            "donations.ImportJob.created_by",
            "donations.ColumnChoice.updated_by",
            "donations.TypeChoice.updated_by",
            "donations.ErasureCertificate.issued_by",
            "donations.TaxReceipt.issued_by",
            "donations.TaxReceipt.cancelled_by",
            "donations.TaxReceiptReview.requested_by",
            "donations.TaxReceiptReview.reviewed_by",
            "donations.ReceiptValueApproval.approved_by",
            "inventory.DeviceEvent.actor",
            "inventory.DevicePhoto.uploaded_by",
            "inventory.PartUse.actor",
            "inventory.ErasureReport.uploaded_by",
            "inventory.ErasureRecord.operator",
            # The admin's history of edits names its subject by label: blanked at closure (privacy._anonymise).
            "wagtailcore.ModelLogEntry.user",
            "wagtailcore.PageLogEntry.user",
        )
    },
    **{
        relation: (None, Kept(STAFF_ONLY))
        for relation in (
            "wagtailusers.UserProfile.user",
            "wagtaildocs.Document.uploaded_by_user",
            "wagtailimages.Image.uploaded_by_user",
            "wagtailadmin.EditingSession.user",
            "wagtailadmin.FormState.user",
            "wagtailcore.Revision.user",
            "wagtailcore.UploadedFile.uploaded_by_user",
            "wagtailcore.WorkflowState.requested_by",
            "wagtailcore.TaskState.finished_by",
            "wagtailcore.Page.locked_by",
            "wagtailcore.Page.owner",
            "wagtailcore.Comment.user",
            "wagtailcore.Comment.resolved_by",
            "wagtailcore.CommentReply.user",
            "wagtailcore.PageSubscription.user",
        )
    },
}

# A relation named so is the person the row is about; through it, what points at that row is the person's too.
SUBJECTS = {"user", "household", "beneficiary", "recipient", "first", "second"}


def relations_to_people() -> set[str]:
    """Every relation to the user model, and every relation reaching one through the person's own rows."""
    user_model = get_user_model()
    found, owned = set(), {}
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            if field.is_relation and field.related_model is user_model:
                found.add(f"{model._meta.label}.{field.name}")
                if field.name in SUBJECTS and not model._meta.app_label.startswith("wagtail"):
                    owned.setdefault(model, []).append(field.name)
    frontier = dict(owned)
    while frontier:
        reached = {}
        for model in apps.get_models():
            if model in owned:
                continue
            for field in model._meta.local_concrete_fields:
                if field.is_relation and field.related_model in frontier:
                    reached.setdefault(model, []).extend(
                        f"{field.name}__{path}" for path in frontier[field.related_model]
                    )
        found.update(f"{model._meta.label}.{path}" for model, paths in reached.items() for path in paths)
        owned.update(reached)
        frontier = reached
    return found


def test_every_relation_to_a_person_is_in_the_copy_erased_or_kept_for_a_reason():
    found = relations_to_people()
    assert sorted(found - RELATIONS.keys()) == [], "decide: in the copy, erased at closure, or kept (and why)"
    assert sorted(RELATIONS.keys() - found) == [], "gone from the models: drop them here"


def rows_of(relation: str, user):
    label, path = relation.rsplit(".", 1)
    return apps.get_model(label).objects.filter(**{path: user})


def section(copy: dict, where: str):
    for key in where.split("."):
        copy = copy.get(key) if isinstance(copy, dict) else None
    return copy


@pytest.fixture
def whole_person(person):  # noqa: F811 (the fixture imported above)
    """The household of test_account_closure, with a row of every other kind a household gathers: a place on the
    waiting list, an email, a printed code, a document staff opened, the journal of its mandate, its territory, an orientation, a
    questionnaire under way, and staff notes naming it (a call at the counter, a technician's note)."""
    mandate = Mandate.objects.get(household=person)
    claim = Claim.objects.get(beneficiary=person)
    decision = EligibilityDecision.objects.filter(beneficiary=person).first()
    WaitlistEntry.objects.create(
        beneficiary=person,
        created_by=person,
        programme=decision.programme,
        department="93",
        postcode="93450",
        device_type="laptop",
        lives_in_qpv_zrr=True,
        no_computer=True,
        children_at_school=False,
        status=WaitlistStatus.WAITING,
    )
    assert Notification.objects.filter(recipient=person).exists()  # its claim's emails
    SignInCode.objects.create(
        user=person,
        mandate=mandate,
        selector="ABCD",
        digest="0" * 64,
        created_by=mandate.referrer,
        expires_at=timezone.now() + timezone.timedelta(days=30),
    )
    MandateJournalEntry.log(mandate=mandate, actor=mandate.referrer, action=JournalAction.MANDATE_RECORDED)
    TerritoryAttestation.objects.create(
        household=person,
        kind=TerritoryKind.QPV,
        attested_by=mandate.referrer,
        referrer_organisation=mandate.referrer_organisation,
        mandate=mandate,
        expires_at=timezone.now() + timezone.timedelta(days=365),
    )
    document = EligibilityDocument.objects.get(decision__beneficiary=person)
    DocumentAccess.log_view(document=document, viewer=UserFactory(is_staff=True), ip_address="192.0.2.7")
    Orientation.objects.create(
        household=person, offer=ConnectivityOfferFactory(), decision=decision, oriented_by=person
    )
    save_draft(person, decision.programme, answers={"household_size": "3"}, path=["household_size"])
    ClaimEvent.objects.create(
        claim=claim,
        actor=claim.handed_over_by,
        from_status=claim.status,
        to_status=claim.status,
        note=f"{FIRST} {LAST} a rappelé au comptoir",
    )
    ticket = Ticket.objects.get(claim=claim)
    TicketEvent.objects.create(
        ticket=ticket,
        actor=claim.handed_over_by,
        from_status=ticket.status,
        to_status=ticket.status,
        note=f"Vu avec Mme {LAST}",
    )
    HandoverChecklist.objects.create(
        claim=claim, items=[], note=f"Remis à {FIRST} en personne", recorded_by=claim.handed_over_by
    )
    return person


def test_the_copy_lists_every_kind_of_row_the_household_has(whole_person):
    copy = json.loads(signed_in(whole_person).get(reverse("accounts:my_data_download")).content)
    missing = [
        f"{relation} -> {where}"
        for relation, (where, _closing) in RELATIONS.items()
        if where and rows_of(relation, whole_person).exists() and not section(copy, where)
    ]
    assert missing == []


def test_closing_erases_what_the_map_says_and_leaves_no_note_naming_the_person(
    whole_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert close(signed_in(whole_person)).status_code == 302
    left = []
    for relation, (_where, closing) in RELATIONS.items():
        rows = rows_of(relation, whole_person)
        if isinstance(closing, Gone) and rows.exists():
            left.append(relation)
        if isinstance(closing, Blanked):
            for field in closing.fields:
                empty = None if rows.model._meta.get_field(field).null else ""
                if rows.exclude(**{field: empty}).exists():
                    left.append(f"{relation}: {field}")
    assert left == []
    stored = every_stored_value()
    assert [name for name in (FIRST, LAST) if name.lower() in stored] == []
    user = User.objects.get(pk=whole_person.pk)
    assert (user.search_name, user.get_full_name()) == ("", "")
    assert not TerritoryAttestation.objects.valid().filter(household=user).exists()


def test_a_journal_forgets_only_words_never_who_moved_what():
    """The closing's one exception to append-only journals (reuse.journal.forget_words) empties free text only."""
    with pytest.raises(AppendOnlyError):
        ClaimEvent.objects.all().forget_words("to_status")
    with pytest.raises(AppendOnlyError):
        ClaimEvent.objects.all().update(note="")


def test_emails_naming_the_household_to_its_referrer_go_when_its_account_closes(programme):  # noqa: F811
    """A household without email learns the answer to the proof its referrer sent through that referrer, whose
    email names it (eligibility_decided_for_referrer): the outbox row is about the household, though written to
    someone else, and goes with the household's account."""
    referrer, household = referrer_with_household()
    User.objects.filter(pk=household.pk).update(first_name=FIRST, last_name=LAST)
    household.refresh_from_db()
    mandate = Mandate.objects.get(household=household)
    decision = EligibilityDecisionFactory(
        beneficiary=household,
        programme=programme,
        author=referrer,
        evidence=Evidence.DOCUMENT,
        mandate=mandate,
    )
    notify_decision(decision)
    assert Notification.objects.filter(recipient=referrer, body_text__contains=LAST).exists()
    call_command("close_household_account", household.pk, stdout=io.StringIO())
    assert not Notification.objects.filter(body_text__contains=LAST).exists()
