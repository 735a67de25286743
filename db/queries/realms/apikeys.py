"""Queries on API keys (``authorized_apps``)."""

from __future__ import annotations

import psycopg
from psycopg.rows import class_row

from db.rows import AUTHORIZED_APP_COLUMNS, AuthorizedApp

_SELECT = f"SELECT {AUTHORIZED_APP_COLUMNS} FROM authorized_apps"  # noqa: S608


def insert_authorized_app(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    name: str,
    preview: str,
    key_hmac: str,
    key_type: int,
) -> int:
    """Insert an API key row and return its id."""
    return conn.execute(
        "INSERT INTO authorized_apps"
        " (realm_id, name, api_key_preview, api_key, api_key_type)"
        " VALUES (%(realm_id)s, %(name)s, %(preview)s, %(key)s, %(type)s) RETURNING id",
        {
            "realm_id": realm_id,
            "name": name,
            "preview": preview,
            "key": key_hmac,
            "type": key_type,
        },
    ).fetchone()[0]


def find_authorized_app(
    conn: psycopg.Connection, key_hmacs: list[str], realm_id: int | None
) -> AuthorizedApp | None:
    """Return the live key whose stored HMAC is one of ``key_hmacs``."""
    query = _SELECT + " WHERE api_key = ANY(%(keys)s) AND deleted_at IS NULL"
    params: dict = {"keys": key_hmacs}
    if realm_id is not None:
        query += " AND realm_id = %(realm_id)s"
        params["realm_id"] = realm_id
    with conn.cursor(row_factory=class_row(AuthorizedApp)) as cur:
        return cur.execute(query + " LIMIT 1", params).fetchone()


def get_authorized_app_by_name(
    conn: psycopg.Connection, realm_id: int, name: str
) -> AuthorizedApp | None:
    """Return a realm's key by name, disabled or not."""
    with conn.cursor(row_factory=class_row(AuthorizedApp)) as cur:
        return cur.execute(
            _SELECT
            + " WHERE realm_id = %(realm_id)s AND lower(name) = lower(%(name)s)",
            {"realm_id": realm_id, "name": name},
        ).fetchone()


def replace_authorized_app_key(
    conn: psycopg.Connection, app_id: int, *, preview: str, key_hmac: str
) -> int:
    """Give an existing key row a new secret (and re-enable it)."""
    return conn.execute(
        "UPDATE authorized_apps SET api_key = %(key)s, api_key_preview = %(preview)s,"
        " deleted_at = NULL, updated_at = now() WHERE id = %(id)s",
        {"key": key_hmac, "preview": preview, "id": app_id},
    ).rowcount


def touch_authorized_app(conn: psycopg.Connection, app_id: int) -> int:
    """Record use in coarse 15-minute steps so hot keys do not write per request."""
    return conn.execute(
        "UPDATE authorized_apps SET last_used_at = now() WHERE id = %(id)s"
        " AND (last_used_at IS NULL OR last_used_at < now() - interval '15 minutes')",
        {"id": app_id},
    ).rowcount


def count_realm_apps(conn: psycopg.Connection, realm_id: int, search: str) -> int:
    """Return how many of a realm's keys match ``search`` (name or preview)."""
    return conn.execute(
        "SELECT count(*) FROM authorized_apps WHERE realm_id = %(realm)s"
        " AND (name ILIKE %(like)s OR api_key_preview ILIKE %(like)s)",
        {"realm": realm_id, "like": f"%{search}%"},
    ).fetchone()[0]


def list_realm_apps(
    conn: psycopg.Connection, realm_id: int, search: str, *, limit: int, offset: int
) -> list[AuthorizedApp]:
    """Return a realm's keys (disabled included) matching ``search``, by name."""
    with conn.cursor(row_factory=class_row(AuthorizedApp)) as cur:
        return cur.execute(
            _SELECT + " WHERE realm_id = %(realm)s"
            " AND (name ILIKE %(like)s OR api_key_preview ILIKE %(like)s)"
            " ORDER BY lower(name), id LIMIT %(limit)s OFFSET %(offset)s",
            {
                "realm": realm_id,
                "like": f"%{search}%",
                "limit": limit,
                "offset": offset,
            },
        ).fetchall()


def get_realm_app(
    conn: psycopg.Connection, realm_id: int, app_id: int, *, lock: bool = False
) -> AuthorizedApp | None:
    """Return one of a realm's keys by id, disabled or not."""
    with conn.cursor(row_factory=class_row(AuthorizedApp)) as cur:
        return cur.execute(
            _SELECT
            + " WHERE realm_id = %(realm)s AND id = %(id)s"
            + (" FOR UPDATE" if lock else ""),
            {"realm": realm_id, "id": app_id},
        ).fetchone()


def rename_authorized_app(conn: psycopg.Connection, app_id: int, name: str) -> int:
    """Change a key's name."""
    return conn.execute(
        "UPDATE authorized_apps SET name = %(name)s, updated_at = now()"
        " WHERE id = %(id)s",
        {"name": name, "id": app_id},
    ).rowcount


def set_authorized_app_enabled(
    conn: psycopg.Connection, app_id: int, enabled: bool
) -> int:
    """Disable (soft-delete) or re-enable a key; bumps its ``updated_at``."""
    return conn.execute(
        "UPDATE authorized_apps SET deleted_at = CASE WHEN %(enabled)s THEN NULL"
        " ELSE now() END, updated_at = clock_timestamp() WHERE id = %(id)s",
        {"enabled": enabled, "id": app_id},
    ).rowcount


# True when key %(app_id)s is live and unchanged since %(key_version)s (its
# updated_at as cached), or when no version is given (a lookup just made).
# Hot statements embed it so the check rides in their round trip.
KEY_IS_CURRENT = (
    "(%(key_version)s::timestamptz IS NULL OR EXISTS (SELECT 1 FROM authorized_apps"
    " WHERE id = %(app_id)s AND deleted_at IS NULL"
    " AND updated_at = %(key_version)s::timestamptz))"
)


def authorized_app_current(conn: psycopg.Connection, app_id: int, version: str) -> bool:
    """Say whether a key is live and unchanged since ``version`` (its updated_at)."""
    return conn.execute(
        "SELECT " + KEY_IS_CURRENT, {"app_id": app_id, "key_version": version}
    ).fetchone()[0]
