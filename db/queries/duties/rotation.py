"""Queries of the rotation duties: token keys, realm certificate keys, secrets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class KeyRow:
    """A token or realm certificate key's bookkeeping row."""

    id: int
    key_id: str  # key version name in the key store
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    kid: str  # JWT kid


@dataclass(frozen=True)
class SecretMeta:
    """A secret version without its value."""

    id: int
    type: str
    reference: str
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None


def active_token_key(conn: psycopg.Connection) -> KeyRow | None:
    """Return the active token-signing key."""
    with conn.cursor(row_factory=class_row(KeyRow)) as cur:
        return cur.execute(
            "SELECT id, key_version_id AS key_id, is_active AS active, created_at,"
            " updated_at, uuid::text AS kid FROM token_signing_keys WHERE is_active"
        ).fetchone()


def insert_token_key(
    conn: psycopg.Connection, *, key_version: str, now: dt.datetime
) -> tuple[int, str]:
    """Insert an inactive token-signing key; return (id, kid)."""
    return conn.execute(
        "INSERT INTO token_signing_keys (key_version_id, is_active, created_at,"
        " updated_at) VALUES (%(kv)s, false, %(now)s, %(now)s)"
        " RETURNING id, uuid::text",
        {"kv": key_version, "now": now},
    ).fetchone()


def activate_token_key(conn: psycopg.Connection, *, key_id: int, now: dt.datetime):
    """Make ``key_id`` the only active token-signing key."""
    conn.execute(
        "SELECT id FROM token_signing_keys WHERE id = %(id)s FOR UPDATE",
        {"id": key_id},
    )
    conn.execute(
        "UPDATE token_signing_keys SET is_active = false, updated_at = %(now)s"
        " WHERE is_active AND id <> %(id)s",
        {"id": key_id, "now": now},
    )
    conn.execute(
        "UPDATE token_signing_keys SET is_active = true, updated_at = %(now)s"
        " WHERE id = %(id)s",
        {"id": key_id, "now": now},
    )


def auto_rotate_realms(conn: psycopg.Connection) -> list[tuple[int, str, int]]:
    """Return (id, name, certificate duration s) of realms that auto-rotate."""
    return conn.execute(
        "SELECT id, name, coalesce(certificate_duration, 900) FROM realms"
        " WHERE auto_rotate_certificate_key AND deleted_at IS NULL ORDER BY id"
    ).fetchall()


def realm_keys(conn: psycopg.Connection, *, realm_id: int) -> list[KeyRow]:
    """Return a realm's live certificate keys, newest first."""
    with conn.cursor(row_factory=class_row(KeyRow)) as cur:
        return cur.execute(
            "SELECT id, key_id, active, created_at, updated_at,"
            " 'r' || realm_id || 'v' || id AS kid FROM signing_keys"
            " WHERE realm_id = %(realm)s AND deleted_at IS NULL"
            " ORDER BY created_at DESC, id DESC",
            {"realm": realm_id},
        ).fetchall()


def realm_key_count_ever(conn: psycopg.Connection, *, realm_id: int) -> int:
    """Count a realm's certificate keys, soft-deleted ones included."""
    return conn.execute(
        "SELECT count(*) FROM signing_keys WHERE realm_id = %(realm)s",
        {"realm": realm_id},
    ).fetchone()[0]


def insert_realm_key(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    key_id: str,
    active: bool,
    now: dt.datetime,
) -> int:
    """Insert a realm certificate key row; return its id."""
    return conn.execute(
        "INSERT INTO signing_keys (realm_id, key_id, active, created_at, updated_at)"
        " VALUES (%(realm)s, %(key)s, %(active)s, %(now)s, %(now)s) RETURNING id",
        {"realm": realm_id, "key": key_id, "active": active, "now": now},
    ).fetchone()[0]


def activate_realm_key(
    conn: psycopg.Connection, *, realm_id: int, row_id: int, now: dt.datetime
) -> None:
    """Make one realm key the realm's only active key."""
    conn.execute(
        "UPDATE signing_keys SET active = false, updated_at = %(now)s"
        " WHERE realm_id = %(realm)s AND deleted_at IS NULL AND id <> %(id)s",
        {"realm": realm_id, "id": row_id, "now": now},
    )
    conn.execute(
        "UPDATE signing_keys SET active = true, updated_at = %(now)s WHERE id = %(id)s",
        {"id": row_id, "now": now},
    )


def lock_realm_key(conn: psycopg.Connection, *, row_id: int) -> tuple | None:
    """Lock a live realm key row; return (key_id, active)."""
    return conn.execute(
        "SELECT key_id, active FROM signing_keys"
        " WHERE id = %(id)s AND deleted_at IS NULL FOR UPDATE",
        {"id": row_id},
    ).fetchone()


def soft_delete_realm_key(
    conn: psycopg.Connection, *, row_id: int, now: dt.datetime
) -> None:
    """Mark a realm key deleted (cleanup removes the row later)."""
    conn.execute(
        "UPDATE signing_keys SET deleted_at = %(now)s, updated_at = %(now)s"
        " WHERE id = %(id)s",
        {"id": row_id, "now": now},
    )


def list_secrets(
    conn: psycopg.Connection, *, secret_type: str, include_deleted: bool = False
) -> list[SecretMeta]:
    """Return a type's secrets (no values), active first then newest first."""
    with conn.cursor(row_factory=class_row(SecretMeta)) as cur:
        return cur.execute(
            "SELECT id, type, reference, active, created_at, updated_at, deleted_at"
            " FROM secrets WHERE type = %(type)s"
            " AND (%(all)s OR deleted_at IS NULL)"
            " ORDER BY active DESC, created_at DESC, id DESC",
            {"type": secret_type, "all": include_deleted},
        ).fetchall()


def stamp_secret(conn: psycopg.Connection, *, secret_id: int, now: dt.datetime):
    """Set a new secret's created and updated time from the injected clock."""
    conn.execute(
        "UPDATE secrets SET created_at = %(now)s, updated_at = %(now)s"
        " WHERE id = %(id)s",
        {"id": secret_id, "now": now},
    )


def set_secret_active(
    conn: psycopg.Connection, *, secret_id: int, active: bool, now: dt.datetime
):
    """Toggle a secret's active flag."""
    conn.execute(
        "UPDATE secrets SET active = %(active)s, updated_at = %(now)s"
        " WHERE id = %(id)s",
        {"id": secret_id, "active": active, "now": now},
    )


def soft_delete_secret(conn: psycopg.Connection, *, secret_id: int, now: dt.datetime):
    """Hide a secret from readers; it is destroyed a day later."""
    conn.execute(
        "UPDATE secrets SET deleted_at = %(now)s WHERE id = %(id)s",
        {"id": secret_id, "now": now},
    )


def delete_secret(conn: psycopg.Connection, *, secret_id: int) -> int:
    """Destroy a secret: its sealed value lives only in this row."""
    return conn.execute(
        "DELETE FROM secrets WHERE id = %(id)s", {"id": secret_id}
    ).rowcount


def system_certificate_keys(conn: psycopg.Connection) -> list[KeyRow]:
    """Return the system certificate keys, newest first."""
    with conn.cursor(row_factory=class_row(KeyRow)) as cur:
        return cur.execute(
            "SELECT id, key_version_id AS key_id, is_active AS active, created_at,"
            " updated_at, kid FROM system_certificate_keys"
            " ORDER BY created_at DESC, id DESC"
        ).fetchall()


def insert_system_certificate_key(
    conn: psycopg.Connection, *, key_version: str, now: dt.datetime
) -> str:
    """Insert an inactive system certificate key, kid ``v<id>``; return the kid."""
    row_id = conn.execute(
        "INSERT INTO system_certificate_keys (kid, key_version_id, is_active,"
        " created_at, updated_at) VALUES (gen_random_uuid()::text, %(kv)s, false,"
        " %(now)s, %(now)s) RETURNING id",
        {"kv": key_version, "now": now},
    ).fetchone()[0]
    return conn.execute(
        "UPDATE system_certificate_keys SET kid = 'v' || id WHERE id = %(id)s"
        " RETURNING kid",
        {"id": row_id},
    ).fetchone()[0]


def activate_system_certificate_key(
    conn: psycopg.Connection, *, row_id: int, now: dt.datetime
) -> None:
    """Make one system certificate key the only active one."""
    conn.execute(
        "UPDATE system_certificate_keys SET is_active = false, updated_at = %(now)s"
        " WHERE is_active AND id <> %(id)s",
        {"id": row_id, "now": now},
    )
    conn.execute(
        "UPDATE system_certificate_keys SET is_active = true, updated_at = %(now)s"
        " WHERE id = %(id)s",
        {"id": row_id, "now": now},
    )


def delete_system_certificate_key(conn: psycopg.Connection, *, row_id: int) -> int:
    """Delete an inactive system certificate key row (it is no longer published)."""
    return conn.execute(
        "DELETE FROM system_certificate_keys WHERE id = %(id)s AND NOT is_active",
        {"id": row_id},
    ).rowcount
