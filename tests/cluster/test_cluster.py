"""The production topology on one machine (`make cluster-test`): what must hold once Rebond runs on several
processes, each test against the running cluster of tests/cluster/conftest.py."""

import os
import re

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db.models import Count
from django.utils.crypto import get_random_string

from donations.models import ImportJob, LotItem
from reuse.beat import LOCK_KEY
from reuse.claims.models import Claim
from reuse.eligibility import sign_in_codes
from tests.cluster.conftest import wait_until
from tests.eligibility.test_sign_in_codes import another_household, wrong_secret
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.eligibility import accredited_referrer, eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.manifests import csv_bytes, french_rows

pytestmark = [pytest.mark.services, pytest.mark.cluster, pytest.mark.django_db(transaction=True)]

IMPORT_ROWS = 15_000


def with_production_password(user):
    """The test profile hashes with MD5; the production processes only accept their own hashers."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(12), iterations=1000)
    user.save(update_fields=["password"])
    return user


def sign_in(browser, instance, email):
    response = browser.post(instance, "/compte/connexion/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.text[:2000]


def test_every_instance_reports_its_database_broker_and_cache(cluster, browser):
    for instance in cluster.web:
        response = browser.get(instance, "/healthz")
        assert response.status_code == 200
        assert response.json() == {
            "database": "ok",
            "broker": "ok",
            "cache": "ok",
            "status": "ok",
            "tasks_waiting_for_broker": 0,
        }
    # Asked by a load balancer in plain HTTP, without the proxy's header: answered, not redirected to HTTPS.
    assert browser.session.get(cluster.web[0].url + "/healthz", headers={"X-Forwarded-Proto": ""}).ok


def test_a_household_signs_in_on_one_instance_and_finishes_on_the_other(cluster, browser):
    a, b = cluster.web
    household = with_production_password(HouseholdProfileFactory().user)
    eligible(household)
    device = DeviceFactory(listed=True, price_cents=0)

    sign_in(browser, a, household.email)
    assert browser.get(b, "/catalogue/").status_code == 200
    response = browser.post(b, f"/catalogue/{device.pk}/demander/", {}, form_page=f"/catalogue/{device.pk}/")
    assert response.status_code == 302, response.text[:2000]
    claim = Claim.objects.get(device=device)
    assert claim.beneficiary_id == household.pk
    mine = browser.get(a, "/demandes/")
    assert mine.status_code == 200
    assert f"/demandes/{claim.pk}/" in mine.text


def test_sign_in_code_limits_hold_across_instances(cluster, browser):
    """5 wrong secrets lock a code whoever types them: 3 on one instance and 2 on the other are counted together
    in the shared cache (with per-process caches, each instance would see fewer than 5)."""
    a, b = cluster.web
    referrer, _organisation = accredited_referrer()
    household = another_household(referrer, "Keita")
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=household).code
    for instance in (a, a, a, b, b):
        page = browser.post(instance, "/eligibilite/connexion-code/", {"code": wrong_secret(code)})
        assert "ne marche pas" in page.text
    refused = browser.post(a, "/eligibilite/connexion-code/", {"code": code})
    assert refused.status_code == 200 and "Ce code est bloqué pendant 15 minutes" in refused.text
    assert "Ce code est bloqué" in browser.post(b, "/eligibilite/connexion-code/", {"code": code}).text


def test_an_import_whose_worker_is_killed_is_finished_by_the_other_worker(cluster, browser):
    a, _b = cluster.web
    donor, member = donor_with_member()
    with_production_password(member)
    lot = LotFactory(donor=donor, created_by=member)
    sign_in(browser, a, member.email)
    upload = browser.post(
        a,
        f"/dons/lots/{lot.pk}/manifeste/",
        files={"file": ("flotte.csv", csv_bytes(french_rows(IMPORT_ROWS)), "text/csv")},
    )
    assert upload.status_code == 302, upload.text[:2000]
    job = ImportJob.objects.get(lot=lot)

    wait_until(
        lambda: LotItem.objects.filter(lot=lot).count() >= 1000, 120, "the import to start writing", 0.05
    )
    # The import's own task: the beat's hourly lot sweep (donations.tasks.auto_assign_waiting, at minute 15) may
    # land on either worker meanwhile.
    running = [
        w
        for w in cluster.workers
        if re.search(r"Task donations\.tasks\.import_manifest\[[^\]]+\] received", w.log())
    ]
    assert len(running) == 1, [w.name for w in running]
    killed = running[0]
    other = next(w for w in cluster.workers if w is not killed)
    killed.kill()
    written_when_killed = LotItem.objects.filter(lot=lot).count()
    assert written_when_killed < IMPORT_ROWS

    wait_until(
        lambda: ImportJob.objects.filter(pk=job.pk, state__in=["done", "failed"]).exists(),
        150,
        "the other worker to finish the import",
        0.5,
    )
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert job.attempts == 2
    assert "donations.tasks.import_manifest" in other.log()
    items = LotItem.objects.filter(lot=lot)
    assert items.count() == IMPORT_ROWS
    assert not items.values("serial").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # The job page, read on either instance, says it is done.
    assert browser.get(cluster.web[1], f"/dons/imports/{job.pk}/").status_code == 200
    killed.start()  # back to two workers for the tests that follow
    wait_until(lambda: killed.log().count("ready.") >= 2, 60, "the restarted worker")


def test_two_beats_started_and_only_one_schedules(cluster):
    first, second = cluster.beats
    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    holder = client.get(LOCK_KEY).decode()
    assert "holds the schedule lock and schedules" in first.log()
    assert f"({holder})" in first.log()
    assert "standing by, nothing scheduled: another beat" in second.log()
    assert "holds the schedule lock and schedules" not in second.log()
    assert "Sending due task" not in second.log()

    # The scheduling beat stops: the other takes over within the lock's lifetime, and says so.
    first.stop()
    assert "schedule lock released" in first.log()
    wait_until(
        lambda: "holds the schedule lock and schedules" in second.log(), 30, "the standby beat to take over"
    )
    assert client.get(LOCK_KEY).decode() != holder
