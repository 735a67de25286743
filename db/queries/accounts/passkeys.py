"""Queries on passkeys (WebAuthn credentials) and the realm passkey switch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class Passkey:
    """One registered WebAuthn credential of a user."""

    id: int
    user_id: int
    credential_id: bytes
    public_key: bytes
    sign_count: int
    transports: list[str]
    friendly_name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


_SELECT = "SELECT {} FROM passkeys".format(  # noqa: S608 - constant column list
    ", ".join(f.name for f in fields(Passkey))
)


def insert_passkey(
    conn: psycopg.Connection,
    *,
    user_id: int,
    credential_id: bytes,
    public_key: bytes,
    sign_count: int,
    transports: list[str],
    friendly_name: str,
    at: dt.datetime,
) -> int | None:
    """Store a credential; None when its id is already registered."""
    row = conn.execute(
        "INSERT INTO passkeys (user_id, credential_id, public_key, sign_count,"
        " transports, friendly_name, created_at) VALUES (%(uid)s, %(cid)s, %(pk)s,"
        " %(count)s, %(transports)s, %(name)s, %(at)s)"
        " ON CONFLICT (credential_id) DO NOTHING RETURNING id",
        {
            "uid": user_id,
            "cid": credential_id,
            "pk": public_key,
            "count": sign_count,
            "transports": transports,
            "name": friendly_name,
            "at": at,
        },
    ).fetchone()
    return row[0] if row else None


def list_passkeys(conn: psycopg.Connection, user_id: int) -> list[Passkey]:
    """Return the user's passkeys, oldest first."""
    with conn.cursor(row_factory=class_row(Passkey)) as cur:
        return cur.execute(
            _SELECT + " WHERE user_id = %(uid)s ORDER BY created_at, id",
            {"uid": user_id},
        ).fetchall()


def get_by_credential_id(
    conn: psycopg.Connection, credential_id: bytes
) -> Passkey | None:
    """Return the passkey with this WebAuthn credential id, if any."""
    with conn.cursor(row_factory=class_row(Passkey)) as cur:
        return cur.execute(
            _SELECT + " WHERE credential_id = %(cid)s", {"cid": credential_id}
        ).fetchone()


def use_passkey(
    conn: psycopg.Connection,
    passkey_id: int,
    old_count: int,
    new_count: int,
    at: dt.datetime,
) -> int:
    """Record a sign-in, only if the stored count is still ``old_count``.

    The condition makes two racing sign-ins with the same assertion count once.
    """
    return conn.execute(
        "UPDATE passkeys SET sign_count = %(new)s, last_used_at = %(at)s"
        " WHERE id = %(id)s AND sign_count = %(old)s",
        {"id": passkey_id, "old": old_count, "new": new_count, "at": at},
    ).rowcount


def rename_passkey(
    conn: psycopg.Connection, user_id: int, passkey_id: int, name: str
) -> int:
    """Rename one of the user's passkeys; return the rows changed."""
    return conn.execute(
        "UPDATE passkeys SET friendly_name = %(name)s"
        " WHERE id = %(id)s AND user_id = %(uid)s",
        {"id": passkey_id, "uid": user_id, "name": name},
    ).rowcount


def delete_passkey(
    conn: psycopg.Connection, user_id: int, passkey_id: int
) -> str | None:
    """Delete one of the user's passkeys; return its name, None if not theirs."""
    row = conn.execute(
        "DELETE FROM passkeys WHERE id = %(id)s AND user_id = %(uid)s"
        " RETURNING friendly_name",
        {"id": passkey_id, "uid": user_id},
    ).fetchone()
    return row[0] if row else None


def passkey_signin_realms(conn: psycopg.Connection, user_id: int) -> list[int]:
    """Return the ids of the user's realms that allow passkey-only sign-in."""
    rows = conn.execute(
        "SELECT r.id FROM realms r JOIN memberships m ON m.realm_id = r.id"
        " WHERE m.user_id = %(uid)s AND r.allow_passkey_signin ORDER BY r.id",
        {"uid": user_id},
    ).fetchall()
    return [row[0] for row in rows]
