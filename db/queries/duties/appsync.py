"""Queries of the app sync duty: translations and Android mobile apps."""

from __future__ import annotations

import psycopg


def list_translations(
    conn: psycopg.Connection, *, realm_id: int
) -> dict[tuple[str, str], tuple[int, str]]:
    """Return {(locale, message_id): (id, message)} of a realm."""
    rows = conn.execute(
        "SELECT id, locale, message_id, message FROM dynamic_translations"
        " WHERE realm_id = %(realm)s",
        {"realm": realm_id},
    ).fetchall()
    return {(row[1], row[2]): (row[0], row[3]) for row in rows}


def insert_translation(
    conn: psycopg.Connection, *, realm_id: int, locale: str, msgid: str, message: str
) -> None:
    """Add one localized string."""
    conn.execute(
        "INSERT INTO dynamic_translations (realm_id, locale, message_id, message)"
        " VALUES (%(realm)s, %(locale)s, %(msgid)s, %(message)s)",
        {"realm": realm_id, "locale": locale, "msgid": msgid, "message": message},
    )


def update_translation(
    conn: psycopg.Connection, *, translation_id: int, message: str
) -> None:
    """Replace one localized string."""
    conn.execute(
        "UPDATE dynamic_translations SET message = %(message)s, updated_at = now()"
        " WHERE id = %(id)s",
        {"id": translation_id, "message": message},
    )


def delete_translations(conn: psycopg.Connection, *, ids: list[int]) -> int:
    """Delete localized strings by id."""
    return conn.execute(
        "DELETE FROM dynamic_translations WHERE id = ANY(%(ids)s)", {"ids": ids}
    ).rowcount


def android_apps(conn: psycopg.Connection, *, realm_id: int) -> list[tuple[str, str]]:
    """Return (name, sha) of a realm's live Android apps."""
    return conn.execute(
        "SELECT name, sha FROM mobile_apps WHERE realm_id = %(realm)s AND os = 2"
        " AND deleted_at IS NULL",
        {"realm": realm_id},
    ).fetchall()


def insert_android_app(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    name: str,
    url: str,
    app_id: str,
    sha: str,
    headless: bool,
) -> int:
    """Create an Android app (redirects disabled); return its id."""
    return conn.execute(
        "INSERT INTO mobile_apps (realm_id, name, url, os, app_id, sha, headless,"
        " disable_redirect) VALUES (%(realm)s, %(name)s, %(url)s, 2, %(app_id)s,"
        " %(sha)s, %(headless)s, true) RETURNING id",
        {
            "realm": realm_id,
            "name": name,
            "url": url,
            "app_id": app_id,
            "sha": sha,
            "headless": headless,
        },
    ).fetchone()[0]
