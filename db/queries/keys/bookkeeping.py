"""Queries on signing-key bookkeeping tables (token and certificate keys)."""

from __future__ import annotations

import psycopg


def active_token_signing_key(conn: psycopg.Connection) -> tuple[str, str] | None:
    """Return (kid uuid, key version name) of the active token-signing key."""
    row = conn.execute(
        "SELECT uuid::text, key_version_id FROM token_signing_keys WHERE is_active"
    ).fetchone()
    return (row[0], row[1]) if row else None


def token_signing_key_by_kid(conn: psycopg.Connection, kid: str) -> str | None:
    """Return the key version name of the token-signing key with ``kid``."""
    row = conn.execute(
        "SELECT key_version_id FROM token_signing_keys WHERE uuid::text = %(kid)s",
        {"kid": kid},
    ).fetchone()
    return row[0] if row else None


def insert_token_signing_key(
    conn: psycopg.Connection, key_version: str, active: bool
) -> str:
    """Insert a token-signing key row; return its kid (uuid)."""
    return conn.execute(
        "INSERT INTO token_signing_keys (key_version_id, is_active)"
        " VALUES (%(kv)s, %(active)s) RETURNING uuid::text",
        {"kv": key_version, "active": active},
    ).fetchone()[0]


def active_system_certificate_key(conn: psycopg.Connection) -> tuple[str, str] | None:
    """Return (kid, key version name) of the active system certificate key."""
    row = conn.execute(
        "SELECT kid, key_version_id FROM system_certificate_keys WHERE is_active"
    ).fetchone()
    return (row[0], row[1]) if row else None


def insert_system_certificate_key(
    conn: psycopg.Connection, kid: str, key_version: str, active: bool
) -> int:
    """Insert a system certificate key row; return its id."""
    return conn.execute(
        "INSERT INTO system_certificate_keys (kid, key_version_id, is_active)"
        " VALUES (%(kid)s, %(kv)s, %(active)s) RETURNING id",
        {"kid": kid, "kv": key_version, "active": active},
    ).fetchone()[0]


def list_system_certificate_keys(
    conn: psycopg.Connection,
) -> list[tuple[str, str, bool]]:
    """Return (kid, key version, active) of every system certificate key."""
    return conn.execute(
        "SELECT kid, key_version_id, is_active FROM system_certificate_keys"
        " ORDER BY created_at DESC, id DESC"
    ).fetchall()
