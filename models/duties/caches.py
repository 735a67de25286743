"""Purging the shared cache by type from ``/admin/caches`` (§5.10)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from db.cache import Cache
from models import audit
from models.errors import InvalidInput

SYSTEM_REALM = 0


@dataclass(frozen=True)
class CacheType:
    """One kind of cached data: the original's id, a label, our key prefixes."""

    id: str
    label: str
    prefixes: tuple[str, ...]


# The original's ids, mapped to the prefixes encv's caches actually use.
CACHE_TYPES = (
    CacheType("apps:", "Mobile apps (redirector)", ("apps:",)),
    CacheType("authorized_apps:", "API keys", ("apikey:",)),
    CacheType("jwks:", "Public keys (JWKS)", ("jwks:",)),
    CacheType("realms:", "Realms", ("realm:",)),
    CacheType("stats:", "Statistics", ("stats:",)),
)
BY_ID = {c.id: c for c in CACHE_TYPES}


def clear(
    conn: psycopg.Connection, cache: Cache, cache_id: str, *, actor: audit.Actor
) -> CacheType:
    """Empty one cache type and audit it; raise InvalidInput for unknown ids."""
    kind = BY_ID.get(cache_id)
    if kind is None:
        raise InvalidInput("Unknown cache type")
    removed = sum(cache.clear_prefix(prefix) for prefix in kind.prefixes)
    audit.record(
        conn,
        realm_id=SYSTEM_REALM,
        actor=actor,
        action="cleared cache",
        target_id=f"caches:{kind.id}",
        target_display=kind.label,
        diff=f"-{removed} entries",
    )
    return kind
