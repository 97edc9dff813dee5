"""One scheduler: of two beats on the same Redis, only the lock holder sends due tasks; the other sends nothing,
says so once, and takes over when the holder stops."""

import logging
import time
from datetime import timedelta

import pytest
import redis
from celery.beat import ScheduleEntry
from django.conf import settings

from reuse.beat import LOCK_KEY, SingleBeatScheduler
from reuse.celery import app

pytestmark = pytest.mark.services

ENTRY = {
    "every-tick": {
        "task": "reuse.accounts.tasks.retry_unsent_notifications",
        "schedule": timedelta(seconds=0),
    }
}


class CountingScheduler(SingleBeatScheduler):
    """The real scheduler; the broker publish is counted instead of made (the lock is what is under test)."""

    def __init__(self, *args, **kwargs):
        self.sent = []
        super().__init__(*args, **kwargs)

    def apply_async(self, entry: ScheduleEntry, producer=None, advance=True, **kwargs):
        self.sent.append(entry.name)


@pytest.fixture
def beats(tmp_path):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(LOCK_KEY)
    made = [
        CountingScheduler(app=app, schedule_filename=str(tmp_path / f"beat-{n}"), lazy=False) for n in (1, 2)
    ]
    for beat in made:
        beat.merge_inplace(ENTRY)  # one entry due at every tick, instead of the real schedule's crontabs
    yield made
    for beat in made:
        beat.close()
    client.delete(LOCK_KEY)


def test_only_the_lock_holder_schedules_and_the_other_says_so(beats, caplog):
    first, second = beats
    with caplog.at_level(logging.INFO, logger="reuse.beat"):
        for _ in range(3):
            first.tick()
            second.tick()
    assert first.sent and second.sent == []
    standby = [r.getMessage() for r in caplog.records if "standing by" in r.getMessage()]
    assert len(standby) == 1 and first.lock_token in standby[0]

    first.close()  # a clean stop releases the lock
    second.tick()
    assert second.sent


def test_the_lock_expires_when_the_holder_dies(beats):
    first, second = beats
    first.tick()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).pexpire(LOCK_KEY, 1)  # the holder crashed: no renewal
    first.holds_lock = False  # (and will not come back)

    time.sleep(0.05)
    second.tick()
    assert second.holds_lock and second.sent
