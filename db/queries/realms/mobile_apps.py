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
