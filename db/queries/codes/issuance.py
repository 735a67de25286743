"""Queries the UI's issuing pages need beyond ``db.queries.codes.core``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class RecentCode:
    """A code a user issued recently (for the status page)."""

    uuid: UUID
    created_at: dt.datetime


def list_recent_by_user(
    conn: psycopg.Connection, *, realm_id: int, user_id: int, limit: int = 5
) -> list[RecentCode]:
    """Return the newest codes the user issued in the realm."""
    with conn.cursor(row_factory=class_row(RecentCode)) as cur:
        return cur.execute(
            "SELECT uuid, created_at FROM verification_codes"
            " WHERE realm_id = %(realm)s AND issuing_user_id = %(user)s"
            " AND deleted_at IS NULL ORDER BY created_at DESC, id DESC"
            " LIMIT %(limit)s",
            {"realm": realm_id, "user": user_id, "limit": limit},
        ).fetchall()


def issuer_names(
    conn: psycopg.Connection, *, user_id: int | None, app_id: int | None
) -> tuple[str | None, str | None]:
    """Return the issuing user's and app's names (None when deleted)."""
    user = app = None
    if user_id is not None:
        row = conn.execute(
            "SELECT name FROM users WHERE id = %(id)s", {"id": user_id}
        ).fetchone()
        user = row[0] if row else None
    if app_id is not None:
        row = conn.execute(
            "SELECT name FROM authorized_apps WHERE id = %(id)s", {"id": app_id}
        ).fetchone()
        app = row[0] if row else None
    return user, app
