"""A task the broker refused keeps how it was to be delivered: when (countdown or eta), until when (expires), to
which queue, with which priority and headers, and its retry count. Before, the kept row had only the task's name and
arguments: a reminder queued for 48 hours later ran as soon as the broker was back, in the default queue.

Real components: the app is pointed at a closed port on loopback (see test_broker_down.py), so publishing meets the
refused connection kombu raises. Once the broker "is back", what the sweep hands to Celery's own
`Celery.send_task` (the method our RebondCelery wraps, documented at
https://docs.celeryq.dev/en/stable/reference/celery.html#celery.Celery.send_task) is recorded instead of published,
to read the eta and options it was given.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from celery import Celery

from reuse.accounts.models import UnsentTask
from reuse.accounts.tasks import publish_unsent_tasks, send_notification
from reuse.celery import app
from tests.outages.test_broker_down import broker_down, point_broker_at  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("broker_down")]
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def broker_back(monkeypatch):
    """The broker answers again: Celery's own send_task records instead of publishing. Returns the records."""
    calls = []

    def record(self, name, args=None, kwargs=None, **options):
        calls.append((name, args, kwargs, options))

    def back():
        point_broker_at("", eager=False)
        monkeypatch.setattr(Celery, "send_task", record)
        return calls

    return back


def test_a_task_queued_for_later_keeps_its_eta_and_options_while_the_broker_is_down(broker_back):
    with time_machine.travel(NOW, tick=False):
        send_notification.apply_async(
            (41,),
            countdown=48 * 3600,
            expires=72 * 3600,
            queue="mail",
            priority=3,
            headers={"origin": "reservation"},
        )
    (kept,) = UnsentTask.objects.all()
    assert kept.eta == NOW + timedelta(hours=48)
    assert kept.expires == NOW + timedelta(hours=72)

    sent = broker_back()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert publish_unsent_tasks() == 1

    ((name, args, _kwargs, options),) = sent
    assert (name, list(args)) == ("reuse.accounts.tasks.send_notification", [41])
    assert options["eta"] == NOW + timedelta(hours=48)
    assert options["expires"] == NOW + timedelta(hours=72)
    assert options["queue"] == "mail" and options["priority"] == 3
    assert options["headers"] == {"origin": "reservation"}
    assert "countdown" not in options
    assert not UnsentTask.objects.exists()


def test_a_task_whose_eta_passed_while_it_waited_is_sent_at_once(broker_back):
    with time_machine.travel(NOW, tick=False):
        send_notification.apply_async((42,), eta=NOW + timedelta(minutes=5))

    sent = broker_back()
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert publish_unsent_tasks() == 1

    ((_name, _args, _kwargs, options),) = sent
    assert options.get("eta") is None and options.get("countdown") is None


def test_a_retry_refused_by_the_broker_keeps_its_retry_count(broker_back):
    """Task.retry queues the task again with `retries` one higher: kept and sent again with it, max_retries still
    ends the retries instead of starting them over."""
    with time_machine.travel(NOW, tick=False):
        app.send_task("reuse.accounts.tasks.send_notification", (43,), countdown=120, retries=2)

    sent = broker_back()
    with time_machine.travel(NOW, tick=False):
        assert publish_unsent_tasks() == 1
    ((_name, _args, _kwargs, options),) = sent
    assert options["retries"] == 2 and options["eta"] == NOW + timedelta(minutes=2)


def test_the_same_task_due_at_two_times_is_kept_twice_and_queued_again_once(broker_back):
    """The same call repeated while the broker is down is one piece of work; the same task due at two different
    times (a reminder now, the reservation's expiry in 48 hours) is two, neither replacing the other."""
    with time_machine.travel(NOW, tick=False):
        send_notification.delay(44)
        send_notification.delay(44)
        send_notification.apply_async((44,), countdown=48 * 3600)
    assert UnsentTask.objects.count() == 2
