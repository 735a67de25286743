"""``GET /jwks/{realm_id}`` on the UI server, where the original serves it."""

from __future__ import annotations

import falcon

from db.cache import Cache
from db.keystore import KeyStore
from db.pool import ConnectionSource
from models.errors import NotFound
from models.keys.jwks import cached_realm_jwks


class RealmJwks:
    """A realm's certificate keys as a bare JSON array, without sign-in."""

    def __init__(self, db: ConnectionSource, keystore: KeyStore, cache: Cache):
        self._args = (cache, db, keystore)

    def on_get(self, req: falcon.Request, resp: falcon.Response, realm_id: int) -> None:
        """Return the keys (cached five minutes); 404 for an unknown realm."""
        try:
            resp.media = cached_realm_jwks(*self._args, realm_id)
        except NotFound as ex:
            resp.status = 404
            resp.media = {"error": ex.message}
