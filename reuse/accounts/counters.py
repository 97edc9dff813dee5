"""Counters in the shared cache over a fixed window: how many times something happened lately."""

from django.core.cache import cache


def count_up(key: str, window: int) -> int:
    """Add one to the counter `key` and return its new value; the counter starts at the first event and is
    forgotten `window` seconds later (adding does not extend it)."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=window)
        return 1


def count(key: str) -> int:
    return cache.get(key, 0)
