"""First-start creation of the system's signing keys and secrets."""

from __future__ import annotations

import psycopg

from db.keystore import KeyStore
from db.queries import system as system_q
from db.queries.keys import bookkeeping as q
from db.secrets import SecretStore

TOKEN_KEY_RING = "system/token-signing"
CERTIFICATE_KEY_RING = "system/certificate-signing"


def ensure_system_keys(
    conn: psycopg.Connection, keystore: KeyStore, certificate_kid: str
) -> list[str]:
    """Create the token and certificate signing keys if absent; return what was made."""
    made = []
    with conn.transaction():
        system_q.advisory_xact_lock(conn, "encv-system-keys")
        if q.active_token_signing_key(conn) is None:
            version = keystore.create_key_version(conn, TOKEN_KEY_RING)
            q.insert_token_signing_key(conn, version, active=True)
            made.append("token-signing key")
        if q.active_system_certificate_key(conn) is None:
            version = keystore.create_key_version(conn, CERTIFICATE_KEY_RING)
            q.insert_system_certificate_key(conn, certificate_kid, version, active=True)
            made.append("certificate-signing key")
    return made


def ensure_all(
    conn: psycopg.Connection,
    keystore: KeyStore,
    secrets: SecretStore,
    certificate_kid: str,
) -> list[str]:
    """Create every secret and system key a fresh installation needs."""
    return secrets.ensure_all(conn) + ensure_system_keys(
        conn, keystore, certificate_kid
    )
