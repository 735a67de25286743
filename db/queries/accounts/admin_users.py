"""Queries behind the system-admin user pages (users of every realm)."""

from __future__ import annotations

import psycopg
from psycopg.rows import class_row

from db.rows import USER_COLUMNS, User


def _where(query: str, admins_only: bool) -> tuple[str, dict]:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    clause = " FROM users WHERE (name ILIKE %(q)s OR email ILIKE %(q)s)"
    if admins_only:
        clause += " AND system_admin"
    return clause, {"q": f"%{escaped}%"}


def count_users(conn: psycopg.Connection, *, query: str, admins_only: bool) -> int:
    """Count users whose name or email contains ``query``."""
    clause, params = _where(query, admins_only)
    return conn.execute("SELECT count(*)" + clause, params).fetchone()[0]


def search_users(
    conn: psycopg.Connection,
    *,
    query: str,
    admins_only: bool,
    limit: int,
    offset: int,
) -> list[User]:
    """Return one page of users matching ``query``, by lower-case name."""
    clause, params = _where(query, admins_only)
    with conn.cursor(row_factory=class_row(User)) as cur:
        return cur.execute(
            f"SELECT {USER_COLUMNS}"  # noqa: S608 - column list is a constant
            + clause
            + " ORDER BY lower(name), id LIMIT %(limit)s OFFSET %(offset)s",
            {**params, "limit": limit, "offset": offset},
        ).fetchall()


def set_system_admin(conn: psycopg.Connection, user_id: int, flag: bool) -> int:
    """Grant or revoke the system-admin flag; return rows changed."""
    return conn.execute(
        "UPDATE users SET system_admin = %(flag)s, updated_at = now()"
        " WHERE id = %(id)s AND system_admin IS DISTINCT FROM %(flag)s",
        {"id": user_id, "flag": flag},
    ).rowcount


def insert_user(conn: psycopg.Connection, *, email: str, name: str) -> int | None:
    """Create a user unless the address is taken; return the new id or None."""
    row = conn.execute(
        "INSERT INTO users (email, name) VALUES (%(email)s, %(name)s)"
        " ON CONFLICT ((lower(email))) DO NOTHING RETURNING id",
        {"email": email, "name": name},
    ).fetchone()
    return row[0] if row else None


def delete_user(conn: psycopg.Connection, user_id: int) -> int:
    """Hard-delete a user (memberships, factors and tokens cascade)."""
    return conn.execute("DELETE FROM users WHERE id = %(id)s", {"id": user_id}).rowcount


def delete_membership(conn: psycopg.Connection, *, realm_id: int, user_id: int) -> int:
    """Remove a user from a realm; return rows deleted."""
    deleted = conn.execute(
        "DELETE FROM memberships WHERE realm_id = %(realm)s AND user_id = %(user)s",
        {"realm": realm_id, "user": user_id},
    ).rowcount
    conn.execute(
        "UPDATE users SET updated_at = now() WHERE id = %(id)s", {"id": user_id}
    )
    return deleted
