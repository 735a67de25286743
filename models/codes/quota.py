"""Per-realm daily issuing quota (abuse prevention, protocol §3.9)."""

from __future__ import annotations

import logging
import math
from decimal import ROUND_FLOOR, Decimal

import numpy as np

from db import quota as store_q
from db.fallback import FallbackLimiter
from db.pool import DatabaseUnavailable
from db.quota import PostgresQuotaStore, QuotaStore, RedisQuotaStore, quota_key
from db.ratelimit import Decision
from db.rows import Realm
from models.errors import DomainError, ErrorCode
from models.services import Services

log = logging.getLogger(__name__)

QUOTA_WINDOW_SECONDS = 24 * 3600.0


def effective_limit(limit: int, factor: Decimal | float) -> int:
    """Return ``ceil(limit * floor(factor * 100) / 100)`` with a float32 factor."""
    # The original keeps the factor as a 32-bit float: 1.15 floors to 1.14.
    as_float32 = Decimal(float(np.float32(float(factor))))
    floored = (as_float32 * 100).to_integral_value(rounding=ROUND_FLOOR) / 100
    return math.ceil(Decimal(limit) * floored)


class QuotaExceeded(DomainError):
    """The realm used up today's codes; ``decision`` carries the headers."""

    def __init__(self, decision: Decision):
        super().__init__(
            "exceeded daily realm quota configured from abuse prevention, "
            "please contact a realm administrator",
            ErrorCode.QUOTA_EXCEEDED,
            429,
        )
        self.decision = decision


class RealmQuota:
    """Take one code from a realm's daily bucket before a code is stored."""

    def __init__(self, store: QuotaStore, hmac_key: bytes, enforce: bool = True):
        self._store = store
        self._hmac_key = hmac_key
        self._enforce = enforce

    def take(self, realm: Realm, conn=None) -> Decision | None:
        """Consume one unit (on ``conn`` if the store is SQL); None without quota.

        Raises QuotaExceeded when the bucket is empty and quotas are
        enforced, and a 500 when the store cannot be reached.
        """
        if not realm.abuse_prevention_enabled:
            return None
        limit = effective_limit(
            realm.abuse_prevention_limit, realm.abuse_prevention_limit_factor
        )
        try:
            decision = self._store.take(
                quota_key(self._hmac_key, realm.id),
                limit,
                QUOTA_WINDOW_SECONDS,
                conn=conn,
            )
        except DatabaseUnavailable:
            raise  # an outage: 503, try again (Redis outages fall back instead)
        except Exception as ex:  # a store failure must not issue unmetered codes
            log.error("quota store failed for realm %s: %s", realm.id, ex)
            raise DomainError(
                "failed to issue code, please try again in a few seconds",
                ErrorCode.INTERNAL,
                500,
            ) from None
        if not decision.allowed:
            if self._enforce:
                raise QuotaExceeded(decision)
            log.warning("realm %s is over its daily quota (not enforced)", realm.id)
        return decision


def build_quota(services: Services) -> RealmQuota:
    """Return the realm quota over Redis when configured, else PostgreSQL."""
    with services.db.connection() as conn:
        key = services.secrets.keys(conn, "rate_limit_hmac")[0]
    # Not in-process: every gunicorn worker must spend the same bucket, and
    # while Redis is down the PostgreSQL windows count instead.
    store: QuotaStore = PostgresQuotaStore(services.db)
    if services.redis is not None:
        store = FallbackLimiter(
            RedisQuotaStore(services.redis), store, services.redis_health, "quota"
        )
    return RealmQuota(store, key, services.settings.codes.enforce_realm_quotas)


class QuotaAdmin:
    """Read and top up a realm's bucket for the settings page (§5.2)."""

    def __init__(self, redis, hmac_key: bytes):
        self._redis = redis
        self._hmac_key = hmac_key

    def remaining(self, conn, realm: Realm) -> tuple[int, int]:
        """Return (remaining today, effective limit) of the realm's bucket."""
        limit = effective_limit(
            realm.abuse_prevention_limit, realm.abuse_prevention_limit_factor
        )
        key = quota_key(self._hmac_key, realm.id)
        if self._redis is not None:
            used = store_q.redis_used(self._redis, key)
        else:
            used = store_q.pg_used(conn, key)
        return limit - (used or 0), limit

    def seed(self, conn, realm_id: int) -> None:
        """Start a full bucket (when protection is switched on)."""
        key = quota_key(self._hmac_key, realm_id)
        if self._redis is not None:
            store_q.redis_reset(self._redis, key)
        else:
            store_q.pg_reset(conn, key)

    def add(self, conn, realm_id: int, amount: int) -> None:
        """Add ``amount`` codes to today's bucket."""
        key = quota_key(self._hmac_key, realm_id)
        if self._redis is not None:
            store_q.redis_give(self._redis, key, amount, QUOTA_WINDOW_SECONDS)
        else:
            store_q.pg_give(conn, key, amount, QUOTA_WINDOW_SECONDS)


def build_quota_admin(services: Services) -> QuotaAdmin:
    """Return the quota view over the same store the issue path uses."""
    with services.db.connection() as conn:
        key = services.secrets.keys(conn, "rate_limit_hmac")[0]
    return QuotaAdmin(services.redis, key)
