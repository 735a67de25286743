"""Queries on mobile apps."""

from __future__ import annotations

import psycopg
from psycopg.rows import class_row

from db.rows import MOBILE_APP_COLUMNS, MobileApp


def upsert_mobile_app(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    name: str,
    os: int,
    app_id: str,
    url: str,
    sha: str = "",
) -> int:
    """Create or refresh a realm's app (by name and OS); return its id."""
    return conn.execute(
        "INSERT INTO mobile_apps (realm_id, name, os, app_id, url, sha)"
        " VALUES (%(realm)s, %(name)s, %(os)s, %(app_id)s, %(url)s, %(sha)s)"
        " ON CONFLICT ((lower(name)), realm_id, os) DO UPDATE SET"
        " app_id = EXCLUDED.app_id, url = EXCLUDED.url, sha = EXCLUDED.sha,"
        " deleted_at = NULL, updated_at = now() RETURNING id",
        {
            "realm": realm_id,
            "name": name,
            "os": os,
            "app_id": app_id,
            "url": url,
            "sha": sha,
        },
    ).fetchone()[0]


def list_realm_apps(conn: psycopg.Connection, realm_id: int) -> list[MobileApp]:
    """Return a realm's live apps, oldest first (the redirector's "first" app)."""
    with conn.cursor(row_factory=class_row(MobileApp)) as cur:
        return cur.execute(
            f"SELECT {MOBILE_APP_COLUMNS} FROM mobile_apps"  # noqa: S608 - constant
            " WHERE realm_id = %(realm)s AND deleted_at IS NULL ORDER BY id",
            {"realm": realm_id},
        ).fetchall()


_SELECT = f"SELECT {MOBILE_APP_COLUMNS} FROM mobile_apps"  # noqa: S608 - constant
_SEARCH = " WHERE realm_id = %(realm)s AND name ILIKE %(like)s"


def count_apps(conn: psycopg.Connection, realm_id: int, search: str) -> int:
    """Return how many of a realm's apps (disabled included) match ``search``."""
    return conn.execute(
        "SELECT count(*) FROM mobile_apps" + _SEARCH,
        {"realm": realm_id, "like": f"%{search}%"},
    ).fetchone()[0]


def list_apps(
    conn: psycopg.Connection, realm_id: int, search: str, *, limit: int, offset: int
) -> list[MobileApp]:
    """Return a page of a realm's apps: live ones first, then by name."""
    with conn.cursor(row_factory=class_row(MobileApp)) as cur:
        return cur.execute(
            _SELECT + _SEARCH + " ORDER BY deleted_at IS NOT NULL, lower(name), id"
            " LIMIT %(limit)s OFFSET %(offset)s",
            {
                "realm": realm_id,
                "like": f"%{search}%",
                "limit": limit,
                "offset": offset,
            },
        ).fetchall()


def get_app(
    conn: psycopg.Connection, realm_id: int, app_id: int, *, lock: bool = False
) -> MobileApp | None:
    """Return one of a realm's apps by id, disabled or not."""
    with conn.cursor(row_factory=class_row(MobileApp)) as cur:
        return cur.execute(
            _SELECT
            + " WHERE realm_id = %(realm)s AND id = %(id)s"
            + (" FOR UPDATE" if lock else ""),
            {"realm": realm_id, "id": app_id},
        ).fetchone()


def name_taken(
    conn: psycopg.Connection, realm_id: int, name: str, os: int, app_id: int | None
) -> bool:
    """Say whether another app of the realm has this name on this OS."""
    return (
        conn.execute(
            "SELECT 1 FROM mobile_apps WHERE realm_id = %(realm)s"
            " AND lower(name) = lower(%(name)s) AND os = %(os)s"
            " AND id IS DISTINCT FROM %(id)s",
            {"realm": realm_id, "name": name, "os": os, "id": app_id},
        ).fetchone()
        is not None
    )


def insert_app(conn: psycopg.Connection, *, realm_id: int, fields: dict) -> int:
    """Insert an app from the form's fields; return its id."""
    return conn.execute(
        "INSERT INTO mobile_apps (realm_id, name, os, app_id, url, sha,"
        " disable_redirect) VALUES (%(realm)s, %(name)s, %(os)s, %(app_id)s,"
        " %(url)s, %(sha)s, %(disable_redirect)s) RETURNING id",
        {"realm": realm_id, **fields},
    ).fetchone()[0]


def update_app(conn: psycopg.Connection, app_id: int, fields: dict) -> int:
    """Overwrite an app's editable fields."""
    return conn.execute(
        "UPDATE mobile_apps SET name = %(name)s, os = %(os)s, app_id = %(app_id)s,"
        " url = %(url)s, sha = %(sha)s, disable_redirect = %(disable_redirect)s,"
        " updated_at = now() WHERE id = %(id)s",
        {"id": app_id, **fields},
    ).rowcount


def set_app_enabled(conn: psycopg.Connection, app_id: int, enabled: bool) -> int:
    """Disable (soft-delete) or restore an app."""
    return conn.execute(
        "UPDATE mobile_apps SET deleted_at = CASE WHEN %(enabled)s THEN NULL"
        " ELSE now() END, updated_at = now() WHERE id = %(id)s",
        {"enabled": enabled, "id": app_id},
    ).rowcount
