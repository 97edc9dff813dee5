"""The broker (Redis) is down while people act: the work they asked for is committed, they get their answer, and
the tasks that could not be queued are kept in the database and queued once the broker is back, once.

Real components: the Celery app is pointed at a closed port on loopback (nothing listens on port 9, « discard »
on most machines and refused here), so publishing meets the refused connection kombu raises
(kombu.exceptions.OperationalError, Celery's documented error for a broker that cannot be reached); the
transactions commit for real (transactional_db), so the on_commit hooks run inside the request as in production.
"""

import json
import os
import socket
import threading

import pytest
from django.test import Client
from django.urls import reverse

from reuse.accounts.enums import NotificationState
from reuse.accounts.models import Notification, UnsentTask
from reuse.accounts.tasks import publish_unsent_tasks
from reuse.celery import app
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)
CLOSED = "redis://127.0.0.1:9/0"


def point_broker_at(url: str, eager: bool):
    # Celery reads the broker from the environment first (celery.app.utils.Settings.broker_url).
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.update(broker_url=url, task_always_eager=eager)
    # The app keeps its connections and producers: drop them so the next publish dials the new address.
    app._pool = None
    app.amqp._producer_pool = None
    app.broker_paused_until = 0.0


@pytest.fixture
def broker_down(settings, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", app.conf.broker_url or "")
    before = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    point_broker_at(CLOSED, eager=False)
    yield
    point_broker_at(*before)


class SilentBroker:
    """A broker that takes connections and never answers: Redis hung (a long blocking command, a full disk, a
    machine swapping) or a network path that drops replies. Counts the connections it was given."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.held = []
        threading.Thread(target=self.hold, daemon=True).start()

    def hold(self):
        while True:
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:
                return

    def close(self):
        self.listener.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def silent_broker(settings, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", app.conf.broker_url or "")
    before = (app.conf.broker_url, app.conf.task_always_eager)
    broker = SilentBroker()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    point_broker_at(broker.url, eager=False)
    yield broker
    point_broker_at(*before)
    broker.close()


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def test_a_household_reserving_while_the_broker_is_down_gets_its_claim_and_its_email_is_kept(
    broker_down, browser
):
    household = eligible()
    household.email = "foyer@example.test"
    household.save(update_fields=["email"])
    device = DeviceFactory(listed=True, price_cents=1000)
    browser.force_login(household)

    response = browser.post(
        "/api/v1/claims", json.dumps({"device_id": device.pk}), content_type="application/json"
    )

    assert response.status_code == 201, response.content[:300]
    claim = Claim.objects.get(pk=response.json()["id"])
    assert claim.status == ClaimStatus.RESERVED
    assert UnsentTask.objects.filter(task="reuse.accounts.tasks.send_notification").exists()


def test_a_password_reset_asked_while_the_broker_is_down_is_sent_once_it_is_back(
    broker_down, browser, settings, mailoutbox
):
    UserFactory(email="foyer@example.test")

    response = browser.post(reverse("accounts:password_reset"), {"email": "foyer@example.test"})

    assert response.status_code == 302, response.content[:300]
    (kept,) = UnsentTask.objects.all()
    assert kept.task == "reuse.accounts.tasks.send_password_reset"
    assert mailoutbox == []

    # Still down: the sweep keeps the row and says why.
    assert publish_unsent_tasks() == 0
    kept.refresh_from_db()
    assert kept.attempts == 1 and "refused" in kept.last_error.lower()

    # Back (eager here: queuing runs the task): sent once, the row gone, a second sweep sends nothing more.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    point_broker_at("", eager=True)
    assert publish_unsent_tasks() == 1
    assert publish_unsent_tasks() == 0
    assert [message.to for message in mailoutbox] == [["foyer@example.test"]]
    assert not UnsentTask.objects.exists()


def test_an_email_queued_while_the_broker_is_down_is_sent_exactly_once(
    broker_down, browser, settings, mailoutbox
):
    household = eligible()
    household.email = "foyer@example.test"
    household.save(update_fields=["email"])
    browser.force_login(household)
    device = DeviceFactory(listed=True, free=True)
    response = browser.post(
        "/api/v1/claims", json.dumps({"device_id": device.pk}), content_type="application/json"
    )
    assert response.status_code == 201, response.content[:300]
    pending = Notification.objects.filter(to_email="foyer@example.test")
    assert pending.exists() and set(pending.values_list("state", flat=True)) == {NotificationState.PENDING}

    settings.CELERY_TASK_ALWAYS_EAGER = True
    point_broker_at("", eager=True)
    kept = UnsentTask.objects.count()
    assert kept >= pending.count()
    assert publish_unsent_tasks() == kept
    assert publish_unsent_tasks() == 0 and not UnsentTask.objects.exists()
    assert set(pending.values_list("state", flat=True)) == {NotificationState.SENT}
    assert len(mailoutbox) == pending.count()


def test_operators_see_on_healthz_how_many_tasks_wait_for_the_broker(broker_down, browser):
    """A web process keeps serving while tasks wait (they are safe in the database), so /healthz stays 200 for the
    load balancer once the broker answers again, and says how many still wait for the sweep: a number that does
    not fall tells operators the beat or the workers are not running."""
    UserFactory(email="foyer@example.test")
    browser.post(reverse("accounts:password_reset"), {"email": "foyer@example.test"})

    report = browser.get("/healthz")
    assert report.status_code == 503
    assert report.json()["broker"] == "error" and report.json()["tasks_waiting_for_broker"] == 1


def test_a_broker_that_never_answers_does_not_hold_the_household_and_is_dialled_once(silent_broker, browser):
    """Before, publishing waited for the silent broker without end (no socket timeout): the request hung until the
    web server killed it, the claim committed and its emails lost. Now publishing gives up after the broker's
    socket timeout, the tasks are kept, and for a short while this process keeps the next ones without dialling
    a broker known to be silent (the sweep queues them)."""
    household = eligible()
    household.email = "foyer@example.test"
    household.save(update_fields=["email"])
    browser.force_login(household)

    first = browser.post(
        "/api/v1/claims",
        json.dumps({"device_id": DeviceFactory(listed=True, price_cents=1000).pk}),
        content_type="application/json",
    )
    assert first.status_code == 201, first.content[:300]
    kept = UnsentTask.objects.count()
    dialled = len(silent_broker.held)
    assert kept >= 1 and dialled >= 1

    browser.post(f"/api/v1/claims/{first.json()['id']}/cancel")
    assert UnsentTask.objects.count() > kept
    assert len(silent_broker.held) == dialled
