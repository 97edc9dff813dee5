import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from reuse.eligibility import sign_in_codes
from reuse.eligibility.enums import Criterion, DecisionStatus, Evidence
from reuse.eligibility.models import EligibilityDecision
from reuse.eligibility.services import decisions
from reuse.errors import Forbidden, NotFound
from reuse.journal import AppendOnlyError
from reuse.programmes import services as programmes
from reuse.programmes.models import Programme
from tests.factories.accounts import household
from tests.factories.eligibility import household_opened_by
from tests.factories.programmes import ProgrammeFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def test_attestation_is_immediate_and_valid_until_the_same_day_twelve_months_later_in_paris(
    referrer, mandated
):
    # 23:30 in Paris on 10 March is already... still 10 March locally (22:30 UTC).
    with time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=PARIS), tick=False):
        decision = decisions.attest(referrer=referrer, household=mandated, criteria=[Criterion.RSA])
    assert decision.status == DecisionStatus.ELIGIBLE
    assert decision.author == referrer and decision.author_organisation is not None
    assert decision.evidence == Evidence.ATTESTATION
    assert decision.last_valid_day == datetime.date(2027, 3, 10)
    assert decision.expires_at == datetime.datetime(2027, 3, 11, 0, 0, tzinfo=PARIS)
    with time_machine.travel(datetime.datetime(2027, 3, 10, 23, 59, tzinfo=PARIS), tick=False):
        assert decisions.valid_decision_for(user=mandated) == decision
    with time_machine.travel(datetime.datetime(2027, 3, 11, 0, 0, tzinfo=PARIS), tick=False):
        assert decisions.valid_decision_for(user=mandated) is None
        assert EligibilityDecision.objects.expired().filter(pk=decision.pk).exists()


def test_a_new_decision_replaces_the_previous_one(referrer, mandated):
    first = decisions.attest(referrer=referrer, household=mandated, criteria=[Criterion.RSA])
    second = decisions.attest(referrer=referrer, household=mandated, criteria=[Criterion.AAH])
    first.refresh_from_db()
    assert first.replaced_by == second
    assert decisions.valid_decision_for(user=mandated) == second


def test_quotient_familial_threshold_edited_changes_the_next_decision(referrer, mandated, programme):
    def attest_650():
        return decisions.attest(
            referrer=referrer,
            household=mandated,
            criteria=[Criterion.QUOTIENT_FAMILIAL],
            quotient_familial_eur=650,
        )

    decision = attest_650()
    assert decision.status == DecisionStatus.ELIGIBLE
    assert "650" in " ".join(decision.reason_texts)
    Programme.objects.filter(pk=programme.pk).update(quotient_familial_max_eur=600)
    decision = attest_650()
    assert decision.status == DecisionStatus.INELIGIBLE
    assert "dépasse le plafond de 600\u00a0€" in " ".join(decision.reason_texts)
    assert decisions.valid_decision_for(user=mandated) is None


def test_a_criterion_outside_the_programme_is_refused_with_its_reason(referrer, mandated, programme):
    Programme.objects.filter(pk=programme.pk).update(criteria=[Criterion.RSA])
    decision = decisions.attest(referrer=referrer, household=mandated, criteria=[Criterion.BOURSE])
    assert decision.status == DecisionStatus.INELIGIBLE
    assert "ne fait pas partie du programme" in decision.reason_texts[0]


def test_two_active_programmes_cannot_share_a_department_over_overlapping_periods(programme):
    clash = Programme(
        name="Val-d’Oise",
        departments=["95"],
        starts_on=datetime.date(2026, 6, 1),
        criteria=[Criterion.RSA],
        accepted_evidence=[Evidence.ATTESTATION],
    )
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "departments" in excinfo.value.message_dict
    # Before the other programme starts, or elsewhere, it is fine.
    clash.departments = ["77"]
    clash.full_clean()
    later = ProgrammeFactory.build(
        departments=["93"], starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    later.full_clean()


def test_the_programme_of_a_department_uses_active_programmes_only(programme):
    ProgrammeFactory(every_check=True, departments=["13"], is_active=False)
    assert programmes.programme_for_department("95") == programme
    assert programmes.programme_for_department("13") is None


def test_a_household_without_programme_gets_a_clear_refusal(db):
    person = household(postcode="13001")
    with pytest.raises(Forbidden) as excinfo:
        decisions.decide_for_household(household=person, author=person, criteria=["rsa"], evidence="document")
    assert excinfo.value.code == "no_programme"


def test_a_household_cannot_attest_for_itself(programme, a_household):
    with pytest.raises(Forbidden):
        decisions.decide_for_household(
            household=a_household, author=a_household, criteria=["rsa"], evidence=Evidence.ATTESTATION
        )


def test_a_referrer_without_mandate_cannot_act_and_learns_nothing(referrer, a_household, programme):
    with pytest.raises(NotFound):
        decisions.attest(referrer=referrer, household=a_household, criteria=["rsa"])


def test_a_non_accredited_referrer_cannot_attest(mandated, referrer):
    from reuse.eligibility.models import ReferrerAccreditation

    mandate = mandated.mandates.get()
    ReferrerAccreditation.objects.filter(organisation=mandate.referrer_organisation).update(
        revoked_at=datetime.datetime(2030, 1, 1, tzinfo=PARIS)
    )
    with pytest.raises(Forbidden) as excinfo:
        decisions.attest(referrer=referrer, household=mandated, criteria=["rsa"])
    assert excinfo.value.code == "not_accredited"


def test_every_action_under_mandate_is_journaled_and_the_journal_is_append_only(referrer, mandated):
    decisions.attest(referrer=referrer, household=mandated, criteria=[Criterion.RSA])
    sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated)
    actions = list(mandated.mandates.get().journal.values_list("action", flat=True))
    assert actions == ["mandate_recorded", "household_created", "attestation", "sign_in_code"]
    entry = mandated.mandates.get().journal.first()
    entry.detail = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_reminder_is_sent_once_thirty_days_before_expiry(
    programme, referrer, django_capture_on_commit_callbacks
):
    from reuse.accounts.services import create_household
    from tests.factories.eligibility import MandateFactory

    person = create_household(first_name="Léa", last_name="Roux", postcode="93200", email="lea@example.test")
    MandateFactory(
        household=person,
        referrer_organisation=referrer.memberships.get().organisation,
        referrer=referrer,
        scopes=["eligibility"],
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=PARIS),
    )
    with time_machine.travel(datetime.datetime(2026, 1, 15, 10, 0, tzinfo=PARIS), tick=False):
        decision = decisions.attest(referrer=referrer, household=person, criteria=[Criterion.RSA])
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, 0, tzinfo=PARIS), tick=False):
        assert decisions.send_renewal_reminders() == 0
    with (
        time_machine.travel(datetime.datetime(2026, 12, 17, 9, 0, tzinfo=PARIS), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert decisions.send_renewal_reminders() == 1
        assert decisions.send_renewal_reminders() == 0
    assert len(mail.outbox) == 1
    assert "15 janvier 2027" in mail.outbox[0].subject
    decision.refresh_from_db()
    assert decision.reminder_sent_at is not None


def test_duplicates_are_flagged_from_a_keyed_hash_only(referrer, mandated):
    from reuse.eligibility.enums import MandateScope
    from reuse.eligibility.models import DuplicateFlag, HouseholdFingerprint
    from tests.factories.eligibility import accredited_referrer

    other_referrer, _org = accredited_referrer()
    twin = household_opened_by(
        other_referrer, first_name="mamadou", last_name="TRAORE", scopes=[MandateScope.ELIGIBILITY], months=6
    )
    flag = DuplicateFlag.objects.get()
    assert {flag.first, flag.second} == {mandated, twin}
    digest = HouseholdFingerprint.objects.get(user=twin).digest
    assert len(digest) == 64 and "traor" not in digest.lower() and "1961" not in digest


def test_beat_schedules_the_purge_and_the_reminders(settings):
    import reuse.eligibility.tasks  # noqa: F401  (the worker autodiscovers it the same way)
    from reuse.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in (
        "reuse.eligibility.tasks.purge_eligibility_documents",
        "reuse.eligibility.tasks.send_eligibility_renewal_reminders",
    ):
        assert name in tasks and name in app.tasks
