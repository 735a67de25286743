"""Key-version bookkeeping shared by ``signing_keys`` and ``sms_signing_keys``.

Both tables have the same shape; the table name is chosen from a fixed set,
never from input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.rows import class_row

TABLES = frozenset({"signing_keys", "sms_signing_keys"})


@dataclass(frozen=True)
class RealmKeyRow:
    """One key version of a realm, with its public half as PEM."""

    id: int
    created_at: dt.datetime
    realm_id: int
    key_id: str
    active: bool
    public_key_pem: str


def _table(table: str) -> sql.Identifier:
    if table not in TABLES:
        raise ValueError(f"not a realm key table: {table}")
    return sql.Identifier(table)


def list_keys(
    conn: psycopg.Connection, table: str, *, realm_id: int
) -> list[RealmKeyRow]:
    """Return the realm's non-deleted keys with their PEM, newest first."""
    query = sql.SQL(
        "SELECT k.id, k.created_at, k.realm_id, k.key_id, k.active,"
        " coalesce(v.public_key_pem, '') AS public_key_pem"
        " FROM {t} k LEFT JOIN key_versions v ON v.name = k.key_id"
        " WHERE k.realm_id = %(realm)s AND k.deleted_at IS NULL"
        " ORDER BY k.created_at DESC, k.id DESC"
    ).format(t=_table(table))
    with conn.cursor(row_factory=class_row(RealmKeyRow)) as cur:
        return cur.execute(query, {"realm": realm_id}).fetchall()


def count_keys(
    conn: psycopg.Connection, table: str, *, realm_id: int
) -> tuple[int, int]:
    """Return (non-deleted rows, all rows incl. soft-deleted) of the realm."""
    query = sql.SQL(
        "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*)"
        " FROM {t} WHERE realm_id = %(realm)s"
    ).format(t=_table(table))
    row = conn.execute(query, {"realm": realm_id}).fetchone()
    return row[0], row[1]


def insert_key(
    conn: psycopg.Connection, table: str, *, realm_id: int, key_id: str, active: bool
) -> int:
    """Insert a key row; return its id."""
    query = sql.SQL(
        "INSERT INTO {t} (realm_id, key_id, active)"
        " VALUES (%(realm)s, %(key)s, %(active)s) RETURNING id"
    ).format(t=_table(table))
    params = {"realm": realm_id, "key": key_id, "active": active}
    return conn.execute(query, params).fetchone()[0]


def lock_keys(conn: psycopg.Connection, table: str, *, realm_id: int) -> list[tuple]:
    """Lock the realm's non-deleted key rows; return (id, key_id, active)."""
    query = sql.SQL(
        "SELECT id, key_id, active FROM {t}"
        " WHERE realm_id = %(realm)s AND deleted_at IS NULL ORDER BY id FOR UPDATE"
    ).format(t=_table(table))
    return conn.execute(query, {"realm": realm_id}).fetchall()


def set_active(
    conn: psycopg.Connection, table: str, *, realm_id: int, key_row: int
) -> None:
    """Make ``key_row`` the realm's only active key."""
    # Deactivate first: the partial unique index allows one active row.
    conn.execute(
        sql.SQL(
            "UPDATE {t} SET active = false, updated_at = now()"
            " WHERE realm_id = %(realm)s AND active AND id <> %(id)s"
        ).format(t=_table(table)),
        {"realm": realm_id, "id": key_row},
    )
    conn.execute(
        sql.SQL(
            "UPDATE {t} SET active = true, updated_at = now() WHERE id = %(id)s"
        ).format(t=_table(table)),
        {"id": key_row},
    )


def soft_delete(conn: psycopg.Connection, table: str, *, key_row: int) -> None:
    """Mark a key row deleted (the purge removes it later)."""
    conn.execute(
        sql.SQL(
            "UPDATE {t} SET deleted_at = now(), active = false, updated_at = now()"
            " WHERE id = %(id)s"
        ).format(t=_table(table)),
        {"id": key_row},
    )
