"""Realm key versions: certificate keys (§5.3) and SMS signing keys (§5.4).

Private halves stay sealed in the key store; this module only creates,
activates and destroys versions, audits each step and tells callers which
cache entries (the JWKS documents) went stale.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from db.cache import Cache
from db.keystore import KeyStore
from db.queries.keys import bookkeeping as bookkeeping_q
from db.queries.keys import realm_keys as q
from db.queries.realms import settings as realms_q
from db.rows import Realm
from models import audit

MAX_KEY_VERSIONS = 5  # DB_MAX_KEY_VERSIONS's default (settings.duties)


class KeyRefused(ValueError):
    """A key operation was refused; the message is shown to the admin."""


@dataclass(frozen=True)
class KeyFamily:
    """Where one family of realm keys lives and how its kids look."""

    table: str
    ring_prefix: str
    kid_suffix: str
    noun: str  # "signing key" / "SMS signing key", for audit and flashes

    def ring(self, realm_id: int) -> str:
        """Return the key-store ring of the realm (``realm-<id>``)."""
        return f"{self.ring_prefix}-{realm_id}"

    def kid(self, realm_id: int, row_id: int) -> str:
        """Return the published key id of a row."""
        return f"r{realm_id}v{row_id}{self.kid_suffix}"


CERTIFICATE = KeyFamily("signing_keys", "realm", "", "signing key")
SMS = KeyFamily("sms_signing_keys", "realm-sms", "sms", "SMS signing key")


@dataclass(frozen=True)
class KeyView:
    """A key as the key pages show it."""

    id: int
    kid: str
    active: bool
    key_version: str
    pem: str
    created_at: object


def list_keys(
    conn: psycopg.Connection, family: KeyFamily, realm_id: int
) -> list[KeyView]:
    """Return the realm's live keys of ``family``, newest first."""
    return [
        KeyView(
            id=row.id,
            kid=family.kid(realm_id, row.id),
            active=row.active,
            key_version=row.key_id,
            pem=row.public_key_pem,
            created_at=row.created_at,
        )
        for row in q.list_keys(conn, family.table, realm_id=realm_id)
    ]


def forget_jwks(cache: Cache, realm_id: int) -> None:
    """Drop the cached JWKS documents that list a realm's certificate keys."""
    cache.delete(f"jwks:realm:{realm_id}")
    cache.delete("jwks:all")


def create_key(
    conn: psycopg.Connection,
    keystore: KeyStore,
    family: KeyFamily,
    realm: Realm,
    actor: audit.Actor,
    max_versions: int = MAX_KEY_VERSIONS,
) -> str:
    """Create a key version; the realm's very first key becomes active.

    Return its kid. Soft-deleted rows count as "not first", as the original.
    """
    with conn.transaction():
        q.lock_keys(conn, family.table, realm_id=realm.id)
        live, every = q.count_keys(conn, family.table, realm_id=realm.id)
        if live >= max_versions:
            raise KeyRefused(
                f"There is a limit of {max_versions} key versions; "
                "destroy an inactive key before creating a new one."
            )
        version = keystore.create_key_version(conn, family.ring(realm.id))
        row_id = q.insert_key(
            conn, family.table, realm_id=realm.id, key_id=version, active=every == 0
        )
        kid = family.kid(realm.id, row_id)
        audit.record(
            conn,
            realm_id=realm.id,
            actor=actor,
            action=f"created {family.noun}",
            target_id=f"{family.table}:{row_id}",
            target_display=kid,
        )
    return kid


def activate_key(
    conn: psycopg.Connection,
    family: KeyFamily,
    realm: Realm,
    key_row: int,
    actor: audit.Actor,
) -> str:
    """Make ``key_row`` the realm's only active key; return its kid."""
    with conn.transaction():
        rows = q.lock_keys(conn, family.table, realm_id=realm.id)
        if not any(row[0] == key_row for row in rows):
            raise KeyRefused("key not found")
        q.set_active(conn, family.table, realm_id=realm.id, key_row=key_row)
        # Certificate signers are memoised per (realm, updated_at): bump it so
        # the new key signs from the next request on.
        realms_q.touch_realm(conn, realm.id)
        kid = family.kid(realm.id, key_row)
        audit.record(
            conn,
            realm_id=realm.id,
            actor=actor,
            action=f"updated active {family.noun}",
            target_id=f"{family.table}:{key_row}",
            target_display=kid,
        )
    return kid


def destroy_key(
    conn: psycopg.Connection,
    keystore: KeyStore,
    family: KeyFamily,
    realm: Realm,
    key_row: int,
    actor: audit.Actor,
) -> bool:
    """Destroy an inactive key; an unknown id is a silent no-op (False)."""
    with conn.transaction():
        rows = {
            row[0]: row for row in q.lock_keys(conn, family.table, realm_id=realm.id)
        }
        row = rows.get(key_row)
        if row is None:
            return False
        if row[2]:
            raise KeyRefused("cannot destroy the active key")
        keystore.destroy(conn, row[1])
        q.soft_delete(conn, family.table, key_row=key_row)
        audit.record(
            conn,
            realm_id=realm.id,
            actor=actor,
            action=f"destroyed {family.noun}",
            target_id=f"{family.table}:{key_row}",
            target_display=family.kid(realm.id, key_row),
        )
    return True


def public_pem(conn: psycopg.Connection, keystore: KeyStore, version: str) -> str:
    """Return the PEM public key of a key version."""
    from cryptography.hazmat.primitives import serialization

    return (
        keystore.public_key(conn, version)
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )


def system_key(conn: psycopg.Connection, keystore: KeyStore) -> tuple[str, str] | None:
    """Return (kid, PEM) of the active system certificate key."""
    active = bookkeeping_q.active_system_certificate_key(conn)
    if active is None:
        return None
    kid, version = active
    return kid, public_pem(conn, keystore, version)
