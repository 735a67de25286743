"""Queries on a realm's members (users joined with their membership)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class Member:
    """A user as a member of one realm."""

    user_id: int
    name: str
    email: str
    permissions: int
    joined: dt.datetime


@dataclass(frozen=True)
class MemberFilter:
    """The search terms of the users list (None / 0 = no condition)."""

    name: str | None = None
    email: str | None = None
    words: str | None = None
    can: int = 0
    cannot: int = 0


_FROM = (
    " FROM memberships m JOIN users u ON u.id = m.user_id"
    " WHERE m.realm_id = %(realm)s"
    " AND (%(name)s::text IS NULL OR u.name ~* %(name)s)"
    " AND (%(email)s::text IS NULL OR u.email ~* %(email)s)"
    " AND (%(words)s::text IS NULL OR u.name ~* %(words)s OR u.email ~* %(words)s)"
    " AND (%(can)s::bigint = 0 OR m.permissions & %(can)s::bigint <> 0)"
    " AND m.permissions & %(cannot)s::bigint = 0"
)
_COLUMNS = (
    "SELECT u.id AS user_id, u.name, u.email, m.permissions, m.created_at AS joined"
)


def _params(realm_id: int, where: MemberFilter) -> dict:
    return {
        "realm": realm_id,
        "name": where.name,
        "email": where.email,
        "words": where.words,
        "can": where.can,
        "cannot": where.cannot,
    }


def count_members(conn: psycopg.Connection, realm_id: int, where: MemberFilter) -> int:
    """Return how many members match ``where``."""
    return conn.execute("SELECT count(*)" + _FROM, _params(realm_id, where)).fetchone()[
        0
    ]


def list_members(
    conn: psycopg.Connection,
    realm_id: int,
    where: MemberFilter,
    *,
    limit: int,
    offset: int = 0,
) -> list[Member]:
    """Return members matching ``where`` ordered by lower-case name."""
    params = {**_params(realm_id, where), "limit": limit, "offset": offset}
    with conn.cursor(row_factory=class_row(Member)) as cur:
        return cur.execute(
            _COLUMNS + _FROM + " ORDER BY lower(u.name), u.id"
            " LIMIT %(limit)s OFFSET %(offset)s",
            params,
        ).fetchall()


def get_member(
    conn: psycopg.Connection, realm_id: int, user_id: int, *, lock: bool = False
) -> Member | None:
    """Return one member of the realm (optionally row-locking the membership)."""
    with conn.cursor(row_factory=class_row(Member)) as cur:
        return cur.execute(
            _COLUMNS + " FROM memberships m JOIN users u ON u.id = m.user_id"
            " WHERE m.realm_id = %(realm)s AND m.user_id = %(user)s"
            + (" FOR UPDATE OF m" if lock else ""),
            {"realm": realm_id, "user": user_id},
        ).fetchone()


def lock_members(
    conn: psycopg.Connection, realm_id: int, user_ids: list[int]
) -> list[Member]:
    """Row-lock and return the realm's memberships of ``user_ids``."""
    with conn.cursor(row_factory=class_row(Member)) as cur:
        return cur.execute(
            _COLUMNS + " FROM memberships m JOIN users u ON u.id = m.user_id"
            " WHERE m.realm_id = %(realm)s AND m.user_id = ANY(%(ids)s)"
            " ORDER BY m.user_id FOR UPDATE OF m",
            {"realm": realm_id, "ids": user_ids},
        ).fetchall()


def insert_user(conn: psycopg.Connection, *, email: str, name: str) -> int:
    """Create a (non-admin) user and return its id."""
    return conn.execute(
        "INSERT INTO users (email, name) VALUES (%(email)s, %(name)s) RETURNING id",
        {"email": email, "name": name},
    ).fetchone()[0]


def rename_user(conn: psycopg.Connection, user_id: int, name: str) -> int:
    """Change a user's display name."""
    return conn.execute(
        "UPDATE users SET name = %(name)s, updated_at = now() WHERE id = %(id)s",
        {"name": name, "id": user_id},
    ).rowcount


def delete_membership(conn: psycopg.Connection, realm_id: int, user_id: int) -> int:
    """Remove a user from a realm (the user row stays)."""
    deleted = conn.execute(
        "DELETE FROM memberships WHERE realm_id = %(realm)s AND user_id = %(user)s",
        {"realm": realm_id, "user": user_id},
    ).rowcount
    conn.execute(
        "UPDATE users SET updated_at = now() WHERE id = %(id)s", {"id": user_id}
    )
    return deleted
