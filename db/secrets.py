"""HMAC and cookie secrets kept in the ``secrets`` table, sealed under the KEK."""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope

# Secret types of the original (ui-and-data §7.1) plus encv's cache and
# rate-limit keys, which the original took from environment variables.
SECRET_TYPES: dict[str, int] = {
    "api_key_database_hmac": 128,
    "api_key_signature_hmac": 128,
    "cookie_keys": 64,
    "phone_number_database_hmac": 128,
    "verification_code_database_hmac": 128,
    "cache_hmac": 64,
    "rate_limit_hmac": 64,
}


@dataclass(frozen=True)
class SecretRow:
    """One secret version (value decrypted)."""

    id: int
    type: str
    reference: str
    active: bool
    created_at: object
    value: bytes


class SecretStore:
    """Read and create secret versions; readers cache values briefly."""

    def __init__(self, envelope: Envelope, cache_seconds: float = 60.0):
        self._envelope = envelope
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, list[bytes]]] = {}
        self._lock = threading.Lock()

    def values(self, conn: psycopg.Connection, secret_type: str) -> list[bytes]:
        """Return the usable values of a type: active first, then newest first."""
        now = time.monotonic()
        hit = self._cache.get(secret_type)
        if hit and hit[0] > now:
            return hit[1]
        values = [row.value for row in self.list(conn, secret_type)]
        with self._lock:
            self._cache[secret_type] = (now + self._cache_seconds, values)
        return values

    def invalidate(self) -> None:
        """Forget cached values (after a rotation in this process)."""
        with self._lock:
            self._cache.clear()

    def list(self, conn: psycopg.Connection, secret_type: str) -> list[SecretRow]:
        """Return every live version of a type, in consumption order."""
        rows = conn.execute(
            "SELECT id, type, reference, active, created_at, value_enc FROM secrets"
            " WHERE type = %(type)s AND deleted_at IS NULL"
            " ORDER BY active DESC, created_at DESC, id DESC",
            {"type": secret_type},
        ).fetchall()
        return [
            SecretRow(
                id=row[0],
                type=row[1],
                reference=row[2],
                active=row[3],
                created_at=row[4],
                value=self._envelope.decrypt(bytes(row[5]), row[2].encode()),
            )
            for row in rows
        ]

    def create(
        self,
        conn: psycopg.Connection,
        secret_type: str,
        *,
        active: bool,
        value: bytes | None = None,
    ) -> int:
        """Create a new secret version of ``secret_type`` and return its id."""
        if value is None:
            value = os.urandom(SECRET_TYPES[secret_type])
        reference = f"encv/secrets/{secret_type}/{uuid.uuid4()}"
        row = conn.execute(
            "INSERT INTO secrets (type, reference, value_enc, active)"
            " VALUES (%(type)s, %(ref)s, %(enc)s, %(active)s) RETURNING id",
            {
                "type": secret_type,
                "ref": reference,
                "enc": self._envelope.encrypt(value, reference.encode()),
                "active": active,
            },
        ).fetchone()
        self.invalidate()
        return row[0]

    def ensure_all(self, conn: psycopg.Connection) -> list[str]:
        """Create one active version of every type that has none; return types made."""
        made = []
        with conn.transaction():
            # Serialise first-start creation across processes.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('encv-secrets'))")
            for secret_type in SECRET_TYPES:
                exists = conn.execute(
                    "SELECT 1 FROM secrets WHERE type = %(type)s AND deleted_at IS NULL"
                    " LIMIT 1",
                    {"type": secret_type},
                ).fetchone()
                if not exists:
                    self.create(conn, secret_type, active=True)
                    made.append(secret_type)
        return made
