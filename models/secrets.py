"""Access to the system's HMAC secrets (first key writes, every key reads)."""

from __future__ import annotations

import psycopg

from db.secrets import SecretStore
from models.crypto import hmac_sha512_b64url


class Secrets:
    """HMAC operations keyed by the rotating secrets of the ``secrets`` table."""

    def __init__(self, store: SecretStore):
        self.store = store

    def keys(self, conn: psycopg.Connection, secret_type: str) -> list[bytes]:
        """Return every usable key of ``secret_type``, the writing key first."""
        keys = self.store.values(conn, secret_type)
        if not keys:
            raise RuntimeError(f"no {secret_type} secret exists; run `encv migrate`")
        return keys

    def hmac_all(
        self, conn: psycopg.Connection, secret_type: str, text: str
    ) -> list[str]:
        """Return the HMAC of ``text`` under every key (for lookups)."""
        return [hmac_sha512_b64url(key, text) for key in self.keys(conn, secret_type)]

    def hmac_first(self, conn: psycopg.Connection, secret_type: str, text: str) -> str:
        """Return the HMAC of ``text`` under the writing key (for storage)."""
        return hmac_sha512_b64url(self.keys(conn, secret_type)[0], text)
