"""Fixed-window rate limiter: Redis, in-process, or null (protocol §10).

Each key gets ``tokens`` per ``interval``; the window starts when the key is
first seen and refills fully at its end. Keys are HMAC-SHA1'd with a secret
before they are stored, so client IPs and realm ids never reach Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from db.cache import BackendUnavailable


@dataclass(frozen=True)
class Decision:
    """Outcome of taking one token."""

    allowed: bool
    limit: int
    remaining: int
    reset: float  # Unix seconds when the window ends (0 for the null limiter)


class RateLimiter(Protocol):
    """Take tokens for ``key`` in ``namespace`` such as ``apiserver:ratelimit``."""

    def take(self, namespace: str, key: str) -> Decision:
        """Consume one token and say whether the request may proceed."""
        ...


class _Hasher:
    def __init__(self, hmac_key: bytes, tokens: int, interval: float):
        self._hmac_key = hmac_key
        self.tokens = tokens
        self.interval = interval

    def hashed(self, namespace: str, key: str) -> str:
        digest = hmac.new(self._hmac_key, key.encode(), hashlib.sha1).hexdigest()
        return f"{namespace}:{digest}"


# INCR and set the expiry on first use atomically; returns (count, ms left).
_TAKE_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


class RedisRateLimiter(_Hasher):
    """Limiter shared by every process through Redis (one Lua call per take)."""

    def __init__(
        self,
        client,
        hmac_key: bytes,
        tokens: int,
        interval: float,
        clock: Callable[[], float] = time.time,
    ):
        super().__init__(hmac_key, tokens, interval)
        self._client = client
        self._clock = clock
        self._script = client.register_script(_TAKE_SCRIPT)

    def take(self, namespace: str, key: str) -> Decision:
        """Consume a token in Redis; raise BackendUnavailable on Redis errors."""
        try:
            count, ttl_ms = self._script(
                keys=[self.hashed(namespace, key)], args=[int(self.interval * 1000)]
            )
        except Exception as ex:
            raise BackendUnavailable(f"rate limiter failed: {ex}") from ex
        count, ttl_ms = int(count), int(ttl_ms)
        reset = math.ceil(self._clock() + ttl_ms / 1000)
        return Decision(
            allowed=count <= self.tokens,
            limit=self.tokens,
            remaining=max(0, self.tokens - count),
            reset=reset,
        )


class MemoryRateLimiter(_Hasher):
    """Per-process limiter (one host only)."""

    def __init__(
        self,
        hmac_key: bytes,
        tokens: int,
        interval: float,
        clock: Callable[[], float] = time.time,
        max_keys: int = 100_000,
    ):
        super().__init__(hmac_key, tokens, interval)
        self._clock = clock
        self._max_keys = max_keys
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, namespace: str, key: str) -> Decision:
        """Consume a token from the in-process window of ``key``."""
        hashed = self.hashed(namespace, key)
        now = self._clock()
        with self._lock:
            end, used = self._windows.get(hashed, (0.0, 0))
            if end <= now:
                end, used = now + self.interval, 0
                if len(self._windows) >= self._max_keys:
                    self._sweep(now)
            used += 1
            self._windows[hashed] = (end, used)
        return Decision(
            allowed=used <= self.tokens,
            limit=self.tokens,
            remaining=max(0, self.tokens - used),
            reset=math.ceil(end),
        )

    def _sweep(self, now: float) -> None:
        for hashed in [k for k, (end, _) in self._windows.items() if end <= now]:
            del self._windows[hashed]


class NullRateLimiter:
    """Limiter that always allows (headers report 0, 0 and the epoch)."""

    def take(self, namespace: str, key: str) -> Decision:
        """Allow."""
        return Decision(allowed=True, limit=0, remaining=0, reset=0)
