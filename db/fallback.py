"""Keep serving when Redis fails: fall back, log once, count, come back.

Redis holds the cache, the rate-limit windows and the quota windows. When a
call to it fails, the caller is served by its fallback (the loader, a
PostgreSQL-backed window), the outage is logged once and every fallback is
counted. While Redis is down it is tried again at most every
``retry_seconds`` by one caller, so a dead or hanging Redis costs one
timeout per interval rather than one per request, and the first call that
succeeds switches every caller back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from db.cache import BackendUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")


class RedisHealth:
    """Whether Redis is usable, shared by every Redis client of one process."""

    def __init__(
        self, retry_seconds: float = 1.0, clock: Callable[[], float] = time.monotonic
    ):
        self._retry = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._down = False
        self._next_try = 0.0
        self.fallbacks = 0  # calls served by a fallback since the process began
        self.outages = 0

    @property
    def down(self) -> bool:
        """Say whether the last call to Redis failed."""
        return self._down

    def _usable(self) -> bool:
        with self._lock:
            if not self._down:
                return True
            now = self._clock()
            if now < self._next_try:
                self.fallbacks += 1
                return False
            self._next_try = now + self._retry  # this caller probes; others wait
            return True

    def _failed(self, what: str, ex: Exception) -> None:
        with self._lock:
            self.fallbacks += 1
            self._next_try = self._clock() + self._retry
            if self._down:
                return
            self._down = True
            self.outages += 1
        log.warning("Redis unavailable (%s: %s); serving from the fallback", what, ex)

    def _succeeded(self) -> None:
        if not self._down:  # the common case, without taking the lock
            return
        with self._lock:
            if not self._down:
                return
            self._down = False
        log.warning("Redis answers again; %d calls used the fallback", self.fallbacks)

    def call(self, what: str, primary: Callable[[], T], fallback: Callable[[], T]) -> T:
        """Return ``primary()``, or ``fallback()`` while Redis is down."""
        if self._usable():
            try:
                result = primary()
            except BackendUnavailable as ex:
                self._failed(what, ex)
            else:
                self._succeeded()
                return result
        return fallback()


class FallbackCache:
    """A Redis cache that loads directly (PostgreSQL) while Redis is down."""

    def __init__(self, primary, health: RedisHealth):
        self._primary = primary
        self._health = health

    def fetch(self, key: str, ttl: float, loader: Callable):
        """Return the cached value, or the loader's while Redis is down."""
        return self._health.call(
            "cache", lambda: self._primary.fetch(key, ttl, loader), loader
        )

    def delete(self, key: str) -> None:
        """Forget ``key`` (an entry Redis keeps through an outage expires by TTL)."""
        self._health.call("cache", lambda: self._primary.delete(key), lambda: None)


class FallbackLimiter:
    """A Redis rate limiter or quota store backed by another store of the same kind.

    Works for both ``take(namespace, key)`` (rate limits) and
    ``take(key, limit, window)`` (quotas): the arguments are passed through.
    """

    def __init__(self, primary, fallback, health: RedisHealth, what: str):
        self._primary = primary
        self._fallback = fallback
        self._health = health
        self._what = what

    def take(self, *args, **kwargs):
        """Take from Redis, or from the fallback while Redis is down."""
        return self._health.call(
            self._what,
            lambda: self._primary.take(*args, **kwargs),
            lambda: self._fallback.take(*args, **kwargs),
        )
