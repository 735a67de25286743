"""The service container every surface and duty is built from.

``build_services`` turns settings into live collaborators: a connection pool
(opened here, so call it after any fork), the key store, secrets, cache, rate
limiter and clock. Entry points (gunicorn ``get_app()``, Dagster resources,
the CLI) call it once per process.
"""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.cache import Cache, Memoized, MemoryCache, NullCache, RedisCache
from db.crypto import Envelope
from db.fallback import FallbackCache, FallbackLimiter, RedisHealth
from db.keystore import KeyStore, PostgresKeyStore
from db.pool import ConnectionSource, PoolSource
from db.quota import PostgresRateLimiter
from db.ratelimit import (
    MemoryRateLimiter,
    NullRateLimiter,
    RateLimiter,
    RedisRateLimiter,
)
from db.secrets import SecretStore
from models.clock import Clock, SystemClock
from models.secrets import Secrets
from models.settings import Settings, SettingsError

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Live collaborators shared by one process."""

    settings: Settings
    db: ConnectionSource
    envelope: Envelope
    keystore: KeyStore
    secret_store: SecretStore
    secrets: Secrets
    clock: Clock
    cache: Cache
    limiter: RateLimiter
    redis: Any = None
    redis_health: RedisHealth = field(default_factory=RedisHealth)
    _closers: list = field(default_factory=list, repr=False)

    def close(self) -> None:
        """Release pools and clients."""
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # closing is best effort at shutdown
                log.exception("error while closing services")


def load_kek(settings: Settings) -> bytes:
    """Return the key-encryption key: ENCV_KEK, else a file in the data dir."""
    if settings.kek:
        return base64.b64decode(settings.kek.value)
    path = Path(settings.data_dir) / "kek.b64"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL so two processes starting together cannot write two keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(os.urandom(32)).decode())
            log.warning("generated a key-encryption key at %s; back it up", path)
    kek = base64.b64decode(path.read_text().strip())
    if len(kek) != 32:
        raise SettingsError(f"{path}: key-encryption key must be 32 bytes")
    return kek


def redis_client(url: str):
    """Return a Redis client for ``url`` with short timeouts."""
    import redis

    # Redis answers in well under a millisecond; a short timeout lets a hung
    # Redis fall back quickly (db.fallback) instead of holding a worker.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def build_services(
    settings: Settings,
    *,
    name: str = "encv",
    db: ConnectionSource | None = None,
    clock: Clock | None = None,
    redis: Any = None,
    namespace: str = "encv",
) -> Services:
    """Build every collaborator from ``settings`` (tests may pass ``db``/``redis``)."""
    closers = []
    if db is None:
        if not settings.database_url:
            raise SettingsError(
                "DATABASE_URL is not set; start through `encv serve`/`encv up`, "
                "which provide the embedded database"
            )
        pool = PoolSource(
            settings.database_url.value,
            max_size=settings.db_pool_max,
            name=name,
            connect_timeout=settings.db_connect_timeout,
            checkout_timeout=settings.db_checkout_timeout,
            statement_timeout=settings.db_statement_timeout,
        ).open()
        closers.append(pool.close)
        db = pool
    envelope = Envelope(load_kek(settings))
    keystore = PostgresKeyStore(envelope)
    secret_store = SecretStore(envelope)
    secrets = Secrets(secret_store)
    with db.connection() as conn:
        cache_key = secrets.keys(conn, "cache_hmac")[0]
        limiter_key = secrets.keys(conn, "rate_limit_hmac")[0]
    if redis is None and settings.redis_url:
        redis = redis_client(settings.redis_url.value)
        closers.append(redis.close)
    health = RedisHealth()
    if redis is not None:
        cache: Cache = FallbackCache(RedisCache(redis, namespace, cache_key), health)
    else:
        log.info("REDIS_URL not set: using the in-process cache (fine for one host)")
        cache = MemoryCache(namespace, cache_key)
    # Hot entries (API keys, realms) are decoded once per process.
    cache = Memoized(cache, shared=redis is not None)
    rl = settings.rate_limit
    # Without Redis, and while it is down, limits live in PostgreSQL so that
    # every worker of every host counts the same window (design.md §5).
    shared = PostgresRateLimiter(db, limiter_key, rl.tokens, rl.interval)
    if rl.kind == "noop":
        limiter: RateLimiter = NullRateLimiter()
    elif rl.kind == "redis" and redis is not None:
        limiter = FallbackLimiter(
            RedisRateLimiter(redis, limiter_key, rl.tokens, rl.interval),
            shared,
            health,
            "rate limiter",
        )
    elif rl.kind == "memory":
        log.info("using the in-process rate limiter (limits are per process)")
        limiter = MemoryRateLimiter(limiter_key, rl.tokens, rl.interval)
    else:
        limiter = shared
    return Services(
        settings=settings,
        db=db,
        envelope=envelope,
        keystore=keystore,
        secret_store=secret_store,
        secrets=secrets,
        clock=clock or SystemClock(),
        cache=cache,
        limiter=limiter,
        redis=redis,
        redis_health=health,
        _closers=closers,
    )


def null_cache() -> Cache:
    """Return a cache that stores nothing (tests that want no caching)."""
    return NullCache()
