"""Realm lookups with a shared cache (realm rows change rarely)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from db.cache import Cache, fetch_decoded
from db.pool import ConnectionSource
from db.queries.realms import core as q
from db.rows import Realm

REALM_CACHE_SECONDS = 300.0

_DATETIME_FIELDS = {
    f.name for f in dataclasses.fields(Realm) if "datetime" in str(f.type)
}
_DECIMAL_FIELDS = {
    f.name for f in dataclasses.fields(Realm) if "Decimal" in str(f.type)
}


def realm_to_json(realm: Realm) -> dict:
    """Encode a realm row as JSON-safe values (for Redis)."""
    out = dataclasses.asdict(realm)
    for name in _DATETIME_FIELDS:
        if out[name] is not None:
            out[name] = out[name].isoformat()
    for name in _DECIMAL_FIELDS:
        out[name] = str(out[name])
    return out


def realm_from_json(data: dict) -> Realm:
    """Decode :func:`realm_to_json` output back into a realm row."""
    values = dict(data)
    for name in _DATETIME_FIELDS:
        if values[name] is not None:
            values[name] = dt.datetime.fromisoformat(values[name])
    for name in _DECIMAL_FIELDS:
        values[name] = Decimal(values[name])
    return Realm(**values)


def cached_realm(cache: Cache, db: ConnectionSource, realm_id: int) -> Realm | None:
    """Return a realm by id, cached for five minutes like the original."""

    def load():
        with db.connection() as conn:
            realm = q.get_realm(conn, realm_id)
        return realm_to_json(realm) if realm else None

    return fetch_decoded(
        cache, f"realm:{realm_id}", REALM_CACHE_SECONDS, load, realm_from_json
    )


def forget_realm(cache: Cache, realm_id: int) -> None:
    """Drop a realm from the cache after it changes."""
    cache.delete(f"realm:{realm_id}")


def list_realms(conn) -> list[Realm]:
    """Return every live realm ordered by id."""
    return q.list_realms(conn)


def realm_by_id(conn, realm_id: int) -> Realm | None:
    """Return a live realm straight from the database (no cache)."""
    return q.get_realm(conn, realm_id)
