"""Queries on users and memberships."""

from __future__ import annotations

import psycopg
from psycopg.rows import class_row

from db.queries.accounts.auth import revoke_password_links
from db.rows import USER_COLUMNS, User

_SELECT = f"SELECT {USER_COLUMNS} FROM users"  # noqa: S608


def get_user_by_email(conn: psycopg.Connection, email: str) -> User | None:
    """Return a user by (case-insensitive) email."""
    with conn.cursor(row_factory=class_row(User)) as cur:
        return cur.execute(
            _SELECT + " WHERE lower(email) = lower(%(email)s)", {"email": email}
        ).fetchone()


def get_user(conn: psycopg.Connection, user_id: int) -> User | None:
    """Return a user by id."""
    with conn.cursor(row_factory=class_row(User)) as cur:
        return cur.execute(_SELECT + " WHERE id = %(id)s", {"id": user_id}).fetchone()


def upsert_user(
    conn: psycopg.Connection, *, email: str, name: str, system_admin: bool
) -> int:
    """Create the user or update name/admin flag; return the id."""
    return conn.execute(
        "INSERT INTO users (email, name, system_admin)"
        " VALUES (%(email)s, %(name)s, %(sa)s)"
        " ON CONFLICT ((lower(email))) DO UPDATE SET name = EXCLUDED.name,"
        " system_admin = EXCLUDED.system_admin, updated_at = now() RETURNING id",
        {"email": email, "name": name, "sa": system_admin},
    ).fetchone()[0]


def set_password_hash(
    conn: psycopg.Connection, user_id: int, password_hash: str
) -> int:
    """Store a new password hash, clear lockout, revoke sessions and links."""
    # A link mailed for the old password must not outlive it (issue 19).
    revoke_password_links(conn, user_id, None)
    return conn.execute(
        "UPDATE users SET password_hash = %(hash)s, last_password_change = now(),"
        " failed_logins = 0, locked_until = NULL, sessions_valid_after = now(),"
        " updated_at = now() WHERE id = %(id)s",
        {"hash": password_hash, "id": user_id},
    ).rowcount


def mark_email_verified(conn: psycopg.Connection, user_id: int) -> int:
    """Record that the user's email address is verified."""
    return conn.execute(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now())"
        " WHERE id = %(id)s",
        {"id": user_id},
    ).rowcount


def upsert_membership(
    conn: psycopg.Connection, *, realm_id: int, user_id: int, permissions: int
) -> None:
    """Create or overwrite a membership's permissions."""
    conn.execute(
        "INSERT INTO memberships (realm_id, user_id, permissions)"
        " VALUES (%(realm)s, %(user)s, %(perms)s)"
        " ON CONFLICT (realm_id, user_id) DO UPDATE"
        " SET permissions = EXCLUDED.permissions,"
        " updated_at = now()",
        {"realm": realm_id, "user": user_id, "perms": permissions},
    )
    conn.execute(
        "UPDATE users SET updated_at = now() WHERE id = %(id)s", {"id": user_id}
    )
