"""Read-through cache behind one small interface: Redis, in-process, or null.

Every key is HMAC'd before it reaches the backend, because keys often carry
secrets (raw API keys, phone numbers). Values are JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)


class BackendUnavailable(RuntimeError):
    """Redis (or another shared backend) failed; callers decide the policy."""


class Cache(Protocol):
    """Namespaced read-through cache with per-entry TTL."""

    def fetch(self, key: str, ttl: float, loader: Callable[[], Any]) -> Any:
        """Return the cached value of ``key`` or load, store and return it."""
        ...

    def delete(self, key: str) -> None:
        """Forget ``key``."""
        ...

    def clear_prefix(self, prefix: str) -> int:
        """Forget every key starting with ``prefix``; return how many."""
        ...


# Keys are HMAC'd, so a prefix cannot be matched in the backend: each stored
# key is also filed under its prefix (the text up to and including the first
# ':'), which is what clear_prefix empties.
INDEX_SECONDS = 86400


def prefix_of(key: str) -> str:
    """Return the cache-type prefix of ``key`` (``"realm:"`` of ``"realm:7"``).

    Keys without a ':' have no type ('') and are never filed in an index.
    """
    head, sep, _ = key.partition(":")
    return head + sep if sep else ""


class _KeyHasher:
    def __init__(self, namespace: str, hmac_key: bytes):
        self.namespace = namespace
        self._hmac_key = hmac_key

    def hashed(self, key: str) -> str:
        digest = hmac.new(self._hmac_key, key.encode(), hashlib.sha256).hexdigest()
        return f"{self.namespace}:cache:{digest}"

    def index(self, prefix: str) -> str:
        digest = hmac.new(self._hmac_key, prefix.encode(), hashlib.sha256).hexdigest()
        return f"{self.namespace}:cacheidx:{digest}"


class RedisCache(_KeyHasher):
    """Cache in Redis; a loader result of ``None`` is not cached."""

    def __init__(self, client, namespace: str, hmac_key: bytes):
        super().__init__(namespace, hmac_key)
        self._client = client

    def fetch(self, key: str, ttl: float, loader: Callable[[], Any]) -> Any:
        """Return the cached value or load and store it for ``ttl`` seconds."""
        hashed = self.hashed(key)
        try:
            raw = self._client.get(hashed)
        except Exception as ex:  # redis raises many types; all mean "unavailable"
            raise BackendUnavailable(f"cache read failed: {ex}") from ex
        if raw is not None:
            return json.loads(raw)
        value = loader()
        if value is not None:
            prefix = prefix_of(key)
            try:
                pipe = self._client.pipeline(transaction=False)
                pipe.set(hashed, json.dumps(value), px=max(1, int(ttl * 1000)))
                if prefix:
                    pipe.sadd(self.index(prefix), hashed)
                    pipe.expire(self.index(prefix), INDEX_SECONDS)
                pipe.execute()
            except Exception as ex:
                raise BackendUnavailable(f"cache write failed: {ex}") from ex
        return value

    def clear_prefix(self, prefix: str) -> int:
        """Forget every key filed under ``prefix``; return how many were live."""
        index = self.index(prefix)
        try:
            members = list(self._client.smembers(index))
            removed = self._client.delete(*members) if members else 0
            self._client.delete(index)
        except Exception as ex:
            raise BackendUnavailable(f"cache clear failed: {ex}") from ex
        return int(removed)

    def delete(self, key: str) -> None:
        """Forget ``key``."""
        try:
            self._client.delete(self.hashed(key))
        except Exception as ex:
            raise BackendUnavailable(f"cache delete failed: {ex}") from ex


class MemoryCache(_KeyHasher):
    """Per-process LRU cache with TTLs; fine for one host."""

    def __init__(
        self,
        namespace: str,
        hmac_key: bytes,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(namespace, hmac_key)
        self._max = max_entries
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._prefixes: dict[str, str] = {}
        self._lock = threading.Lock()

    def fetch(self, key: str, ttl: float, loader: Callable[[], Any]) -> Any:
        """Return the cached value or load and store it for ``ttl`` seconds."""
        hashed = self.hashed(key)
        now = self._clock()
        with self._lock:
            hit = self._items.get(hashed)
            if hit and hit[0] > now:
                self._items.move_to_end(hashed)
                return json.loads(hit[1])
        value = loader()
        if value is not None:
            with self._lock:
                self._items[hashed] = (now + ttl, json.dumps(value))
                self._prefixes[hashed] = prefix_of(key)
                self._items.move_to_end(hashed)
                while len(self._items) > self._max:
                    evicted, _ = self._items.popitem(last=False)
                    self._prefixes.pop(evicted, None)
        return value

    def delete(self, key: str) -> None:
        """Forget ``key``."""
        with self._lock:
            hashed = self.hashed(key)
            self._items.pop(hashed, None)
            self._prefixes.pop(hashed, None)

    def clear_prefix(self, prefix: str) -> int:
        """Forget every key starting with ``prefix``; return how many."""
        with self._lock:
            doomed = [h for h, p in self._prefixes.items() if p == prefix]
            for hashed in doomed:
                self._items.pop(hashed, None)
                self._prefixes.pop(hashed, None)
        return len(doomed)

    def keys(self) -> list[str]:
        """Return the stored (hashed) keys; for tests and debugging."""
        with self._lock:
            return list(self._items)


class NullCache:
    """Cache that never stores: every fetch calls the loader."""

    def fetch(self, key: str, ttl: float, loader: Callable[[], Any]) -> Any:
        """Call the loader."""
        return loader()

    def delete(self, key: str) -> None:
        """Do nothing."""

    def clear_prefix(self, prefix: str) -> int:
        """Do nothing; nothing is stored."""
        return 0


class Memoized:
    """A cache with a per-process memo of decoded values in front of it.

    On the hot path most of a cache hit is decoding (JSON, then a dataclass),
    which :meth:`fetch_decoded` does once per value:

    * in-process backend (``shared=False``): every invalidation passes
      through this object, so a memoised value is returned without asking
      the backend, until the entry's ttl;
    * shared backend (Redis): the backend is still read on every call, so
      another process's invalidation is seen at once, but the value is only
      decoded again when what the backend returned differs from last time.

    ``delete`` and ``clear_prefix`` forget the memo as well as the entry.
    """

    def __init__(
        self,
        inner: Cache,
        shared: bool,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.inner = inner
        self._shared = shared
        self._max = max_entries
        self._clock = clock
        # key -> (expires, backend value, decoded value)
        self._memo: dict[str, tuple[float, Any, Any]] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        # Backend-specific helpers (MemoryCache.keys) stay reachable.
        return getattr(self.inner, name)

    def fetch(self, key: str, ttl: float, loader: Callable[[], Any]) -> Any:
        """Return the backend's value (undecoded), as :class:`Cache` does."""
        return self.inner.fetch(key, ttl, loader)

    def fetch_decoded(
        self,
        key: str,
        ttl: float,
        loader: Callable[[], Any],
        decode: Callable[[Any], Any],
        checked_on_use: bool = False,
    ) -> Any:
        """Return ``decode(value)`` of ``key``, memoised; None is never memoised.

        ``checked_on_use``: the caller verifies the value against the database
        every time it uses it (an API key's version), so even with a shared
        backend the memo is trusted until the ttl without asking the backend.
        """
        now = self._clock()
        hit = self._memo.get(key)
        local = checked_on_use or not self._shared
        if hit is not None and local and hit[0] > now:
            return hit[2]
        data = self.inner.fetch(key, ttl, loader)
        if data is None:
            return None
        if hit is not None and hit[0] > now and hit[1] == data:
            return hit[2]
        value = decode(data)
        with self._lock:
            if len(self._memo) >= self._max:
                # Expired entries go first; if all are live, start afresh
                # (the backend still holds them, so this costs decodes only).
                live = {k: v for k, v in self._memo.items() if v[0] > now}
                self._memo = live if len(live) < self._max else {}
            self._memo[key] = (now + ttl, data, value)
        return value

    def delete(self, key: str) -> None:
        """Forget ``key`` here and in the backend."""
        with self._lock:
            self._memo.pop(key, None)
        self.inner.delete(key)

    def clear_prefix(self, prefix: str) -> int:
        """Forget every key starting with ``prefix`` here and in the backend."""
        with self._lock:
            self._memo = {
                k: v for k, v in self._memo.items() if not k.startswith(prefix)
            }
        return self.inner.clear_prefix(prefix)


def fetch_decoded(
    cache: Cache,
    key: str,
    ttl: float,
    loader: Callable[[], Any],
    decode: Callable[[Any], Any],
    checked_on_use: bool = False,
) -> Any:
    """Return ``decode`` of the cached value of ``key`` (None when there is none).

    Memoised per process when ``cache`` is :class:`Memoized` (see there for
    ``checked_on_use``).
    """
    memo = getattr(cache, "fetch_decoded", None)
    if memo is not None:
        return memo(key, ttl, loader, decode, checked_on_use)
    data = cache.fetch(key, ttl, loader)
    return None if data is None else decode(data)
