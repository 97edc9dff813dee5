"""One scheduler for the whole deployment: beat holds a lock in Redis before it sends anything.

`celery -A reuse beat` uses SingleBeatScheduler (CELERY_BEAT_SCHEDULER). Each tick, the beat that holds the lock
renews it and schedules as usual; any other beat (started by mistake, or a standby on another machine) sends
nothing, says so in its log once, and checks again a few seconds later: it takes over within BEAT_LOCK_TTL seconds
when the holder stops (its lock is released on a clean stop, or expires after a crash).
"""

import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler
from celery.utils.log import get_logger

logger = get_logger(__name__)
LOCK_KEY = "rebond:beat:lock"

# Renew only a lock we still hold; release only our own.
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def lock_ttl_seconds() -> int:
    return max(3, int(os.environ.get("BEAT_LOCK_TTL", "60")))


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.lock_token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lock_ttl = lock_ttl_seconds()
        self.holds_lock = False
        self._told_standby = False
        self._redis = None
        super().__init__(*args, **kwargs)

    @property
    def redis(self):
        if self._redis is None:
            self._redis = redis.Redis.from_url(self.app.conf.broker_url, socket_timeout=5)
        return self._redis

    def acquire_or_renew(self) -> bool:
        ttl_ms = self.lock_ttl * 1000
        if self.holds_lock and self.redis.eval(RENEW, 1, LOCK_KEY, self.lock_token, ttl_ms):
            return True
        if self.redis.set(LOCK_KEY, self.lock_token, nx=True, px=ttl_ms):
            logger.info("beat: this beat (%s) holds the schedule lock and schedules", self.lock_token)
            self.holds_lock, self._told_standby = True, False
            return True
        if self.holds_lock:
            logger.warning("beat: the schedule lock was lost; this beat stops scheduling")
        self.holds_lock = False
        if not self._told_standby:
            holder = self.redis.get(LOCK_KEY)
            logger.warning(
                "beat: standing by, nothing scheduled: another beat (%s) holds the schedule lock %s; "
                "this one takes over if it stops",
                holder.decode() if holder else "?",
                LOCK_KEY,
            )
            self._told_standby = True
        return False

    def tick(self, *args, **kwargs):
        renew_every = self.lock_ttl / 3
        if not self.acquire_or_renew():
            return renew_every
        return min(super().tick(*args, **kwargs), renew_every)

    def close(self):
        try:
            super().close()
        finally:
            if self.holds_lock:
                self.redis.eval(RELEASE, 1, LOCK_KEY, self.lock_token)
                self.holds_lock = False
                logger.info("beat: schedule lock released by %s", self.lock_token)
