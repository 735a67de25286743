"""Public certificate keys: ``/jwks/{realm_id}`` and ``/.well-known/jwks.json``."""

from __future__ import annotations

import falcon

from db.cache import Cache
from db.keystore import KeyStore
from db.pool import ConnectionSource
from models.keys.jwks import JWKS_CACHE_SECONDS, all_certificate_jwks, cached_realm_jwks


class RealmJwksResource:
    """A realm's certificate keys as a bare JSON array (protocol §7.4)."""

    def __init__(self, db: ConnectionSource, keystore: KeyStore, cache: Cache):
        self._db = db
        self._keystore = keystore
        self._cache = cache

    def on_get(self, req: falcon.Request, resp: falcon.Response, realm_id: int) -> None:
        """Return the keys, cached five minutes per realm."""
        resp.media = cached_realm_jwks(self._cache, self._db, self._keystore, realm_id)


class AllJwksResource:
    """Every certificate key in use, system and realm, as ``{"keys": [...]}``."""

    def __init__(self, db: ConnectionSource, keystore: KeyStore, cache: Cache):
        self._db = db
        self._keystore = keystore
        self._cache = cache

    def _load(self) -> dict:
        with self._db.connection() as conn:
            return all_certificate_jwks(conn, self._keystore)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Return the key set (cached five minutes)."""
        resp.media = self._cache.fetch("jwks:all", JWKS_CACHE_SECONDS, self._load)
