"""Daily quota buckets whose size is given on every take (protocol §3.9).

Unlike the request rate limiter, the bucket size comes from the caller (a
realm setting that a job may change at any time). A window counts what was
used, so a new size applies to the remainder of the window: raising or
lowering the limit never refills the bucket.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from db.cache import BackendUnavailable
from db.pool import ConnectionSource
from db.ratelimit import Decision


class QuotaStore(Protocol):
    """Take one unit of a named daily quota."""

    def take(self, key: str, limit: int, window: float, conn=None) -> Decision:
        """Consume one unit of ``key`` whose size is ``limit`` per ``window``.

        ``conn`` is the caller's database connection, for stores that use
        the database: a request must not hold one pooled connection while
        waiting for a second (threaded workers would starve the pool).
        """
        ...


def quota_key(hmac_key: bytes, realm_id: int) -> str:
    """Return the store key of a realm's quota (``realm:quota:<hex>``)."""
    digest = hmac.new(hmac_key, str(realm_id).encode(), hashlib.sha1).hexdigest()
    return f"realm:quota:{digest}"


# Count first, start the window on first use; return (used, ms left).
_TAKE = """
local used = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {used, ttl}
"""


class RedisQuotaStore:
    """Quota windows in Redis, shared by every process."""

    def __init__(
        self, client, prefix: str = "", clock: Callable[[], float] = time.time
    ):
        self._script = client.register_script(_TAKE)
        self._prefix = prefix
        self._clock = clock

    def take(self, key: str, limit: int, window: float, conn=None) -> Decision:
        """Consume one unit in Redis; raise BackendUnavailable on errors."""
        try:
            used, ttl_ms = self._script(
                keys=[self._prefix + key], args=[int(window * 1000)]
            )
        except Exception as ex:
            raise BackendUnavailable(f"quota store failed: {ex}") from ex
        used, ttl_ms = int(used), int(ttl_ms)
        return Decision(
            allowed=used <= limit,
            limit=limit,
            remaining=max(0, limit - used),
            reset=math.ceil(self._clock() + ttl_ms / 1000),
        )


class MemoryQuotaStore:
    """Quota windows in this process (one host only)."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, limit: int, window: float, conn=None) -> Decision:
        """Consume one unit of the in-process window of ``key``."""
        now = self._clock()
        with self._lock:
            end, used = self._windows.get(key, (0.0, 0))
            if end <= now:
                end, used = now + window, 0
            used += 1
            self._windows[key] = (end, used)
        return Decision(
            allowed=used <= limit,
            limit=limit,
            remaining=max(0, limit - used),
            reset=math.ceil(end),
        )


# Start a fresh window when the old one ended, else count one more.
_PG_TAKE = """
INSERT INTO quota_windows (key, window_end, used)
VALUES (%(key)s, now() + make_interval(secs => %(window)s), 1)
ON CONFLICT (key) DO UPDATE SET
  used = CASE WHEN quota_windows.window_end <= now() THEN 1
              ELSE quota_windows.used + 1 END,
  window_end = CASE WHEN quota_windows.window_end <= now()
                    THEN EXCLUDED.window_end ELSE quota_windows.window_end END
RETURNING used, extract(epoch FROM window_end)
"""


class PostgresQuotaStore:
    """Quota windows in PostgreSQL (shared by every process, without Redis)."""

    def __init__(self, db: ConnectionSource):
        self._db = db

    def take(self, key: str, limit: int, window: float, conn=None) -> Decision:
        """Consume one unit in one statement, on ``conn`` when one is lent."""
        if conn is not None:
            used, reset = conn.execute(
                _PG_TAKE, {"key": key, "window": window}
            ).fetchone()
        else:
            with self._db.connection() as own:
                used, reset = own.execute(
                    _PG_TAKE, {"key": key, "window": window}
                ).fetchone()
        return Decision(
            allowed=used <= limit,
            limit=limit,
            remaining=max(0, limit - used),
            reset=math.ceil(float(reset)),
        )


# Read-only view and top-ups used by the realm settings page. A window counts
# what was used, so "adding capacity" lowers the count (it may go negative,
# leaving more than the limit for today) and "seeding" starts a fresh window.


def redis_used(client, key: str) -> int | None:
    """Return the units used in the current Redis window (None: no window)."""
    raw = client.get(key)
    return None if raw is None else int(raw)


def redis_give(client, key: str, amount: int, window: float) -> None:
    """Return ``amount`` units to the current Redis window (or open one)."""
    pipe = client.pipeline()
    pipe.decrby(key, amount)
    pipe.pexpire(key, int(window * 1000), nx=True)
    pipe.execute()


def redis_reset(client, key: str) -> None:
    """Forget the Redis window: the next take starts a full bucket."""
    client.delete(key)


def pg_used(conn, key: str) -> int | None:
    """Return the units used in the current PostgreSQL window."""
    row = conn.execute(
        "SELECT used FROM quota_windows WHERE key = %(key)s AND window_end > now()",
        {"key": key},
    ).fetchone()
    return row[0] if row else None


def pg_give(conn, key: str, amount: int, window: float) -> None:
    """Return ``amount`` units to the current PostgreSQL window (or open one)."""
    conn.execute(
        "INSERT INTO quota_windows (key, window_end, used)"
        " VALUES (%(key)s, now() + make_interval(secs => %(window)s), -%(n)s)"
        " ON CONFLICT (key) DO UPDATE SET"
        " used = CASE WHEN quota_windows.window_end <= now() THEN -%(n)s"
        "             ELSE quota_windows.used - %(n)s END,"
        " window_end = CASE WHEN quota_windows.window_end <= now()"
        "                   THEN EXCLUDED.window_end ELSE quota_windows.window_end END",
        {"key": key, "window": window, "n": amount},
    )


def pg_reset(conn, key: str) -> None:
    """Forget the PostgreSQL window: the next take starts a full bucket."""
    conn.execute("DELETE FROM quota_windows WHERE key = %(key)s", {"key": key})


# Ended windows restart on their next take anyway, so any of them may go.
_PG_SWEEP = "DELETE FROM quota_windows WHERE window_end < now() - interval '1 hour'"


class PostgresRateLimiter:
    """Request rate limits in the PostgreSQL windows (every worker, every host).

    The limiter without Redis, and Redis's fallback: a limit counted per
    process would let N workers allow N times the limit. Per-client windows
    come and go, so every ``sweep_every`` takes this process drops ended ones.
    """

    def __init__(
        self,
        db: ConnectionSource,
        hmac_key: bytes,
        tokens: int,
        interval: float,
        sweep_every: int = 1000,
    ):
        self._store = PostgresQuotaStore(db)
        self._db = db
        self._hmac_key = hmac_key
        self.tokens = tokens
        self.interval = interval
        self._sweep_every = sweep_every
        self._takes = 0

    def take(self, namespace: str, key: str) -> Decision:
        """Consume a token of ``key``'s window in one statement."""
        digest = hmac.new(self._hmac_key, key.encode(), hashlib.sha1).hexdigest()
        self._takes += 1
        if self._takes % self._sweep_every == 0:
            with self._db.connection() as conn:
                conn.execute(_PG_SWEEP)
        return self._store.take(f"{namespace}:{digest}", self.tokens, self.interval)
