"""Retention deletes of the cleanup duty (operations §2), one per target.

Every function takes an explicit ``cutoff`` (rows strictly older go) and
returns the number of rows affected.
"""

from __future__ import annotations

import datetime as dt

import psycopg


def _count(conn: psycopg.Connection, query: str, params: dict) -> int:
    return conn.execute(query, params).rowcount


def purge_api_keys(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Hard-delete API keys soft-deleted before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM authorized_apps WHERE deleted_at IS NOT NULL"
        " AND deleted_at < %(cutoff)s",
        {"cutoff": cutoff},
    )


def purge_verification_codes(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Hard-delete codes whose short and long expiries are before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM verification_codes WHERE expires_at < %(cutoff)s"
        " AND long_expires_at < %(cutoff)s",
        {"cutoff": cutoff},
    )


def recycle_verification_codes(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Blank the code hashes of codes expired before ``cutoff`` (row stays)."""
    return _count(
        conn,
        "UPDATE verification_codes SET code = '', long_code = ''"
        " WHERE expires_at < %(cutoff)s AND long_expires_at < %(cutoff)s"
        " AND (code <> '' OR long_code <> '')",
        {"cutoff": cutoff},
    )


def purge_tokens(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Hard-delete verification tokens that expired before ``cutoff``."""
    return _count(
        conn, "DELETE FROM tokens WHERE expires_at < %(cutoff)s", {"cutoff": cutoff}
    )


def purge_orphaned_memberships(conn: psycopg.Connection) -> int:
    """Hard-delete memberships that grant no permission at all."""
    return _count(conn, "DELETE FROM memberships WHERE permissions = 0", {})


def purge_mobile_apps(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Hard-delete mobile apps soft-deleted before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM mobile_apps WHERE deleted_at IS NOT NULL"
        " AND deleted_at < %(cutoff)s",
        {"cutoff": cutoff},
    )


def purge_audit_entries(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete audit entries created before ``cutoff``."""
    # The append-only trigger lets a DELETE through only while this
    # transaction-local flag is on; it is switched off again right after.
    with conn.transaction():
        conn.execute("SELECT set_config('encv.audit_purge', 'on', true)")
        done = _count(
            conn,
            "DELETE FROM audit_entries WHERE created_at < %(cutoff)s",
            {"cutoff": cutoff},
        )
        conn.execute("SELECT set_config('encv.audit_purge', 'off', true)")
    return done


def purge_users(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Hard-delete stale non-admin users that belong to no realm."""
    return _count(
        conn,
        "DELETE FROM users u WHERE NOT u.system_admin"
        " AND u.created_at < %(cutoff)s AND u.updated_at < %(cutoff)s"
        " AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)",
        {"cutoff": cutoff},
    )


def retired_token_signing_keys(
    conn: psycopg.Connection, *, cutoff: dt.datetime
) -> list[tuple[int, str]]:
    """Return (id, key version) of token keys retired before ``cutoff``."""
    return conn.execute(
        "SELECT id, key_version_id FROM token_signing_keys WHERE NOT is_active"
        " AND updated_at < %(cutoff)s ORDER BY id",
        {"cutoff": cutoff},
    ).fetchall()


def delete_token_signing_key(conn: psycopg.Connection, *, key_id: int) -> int:
    """Delete one (inactive) token-signing key row."""
    return _count(
        conn,
        "DELETE FROM token_signing_keys WHERE id = %(id)s AND NOT is_active",
        {"id": key_id},
    )


def purge_certificate_signing_keys(
    conn: psycopg.Connection, *, cutoff: dt.datetime
) -> int:
    """Hard-delete realm certificate keys soft-deleted before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM signing_keys WHERE deleted_at IS NOT NULL"
        " AND deleted_at < %(cutoff)s",
        {"cutoff": cutoff},
    )


def purge_key_server_stats(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete key-server stats days before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM key_server_stats_days WHERE day < %(cutoff)s",
        {"cutoff": cutoff},
    )


def _purge_dated(conn: psycopg.Connection, table: str, cutoff: dt.datetime) -> int:
    # ``table`` is one of the constants below, never user input.
    return _count(
        conn, f"DELETE FROM {table} WHERE date < %(cutoff)s", {"cutoff": cutoff}
    )


def purge_authorized_app_stats(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete API-key stats days before ``cutoff``."""
    return _purge_dated(conn, "authorized_app_stats", cutoff)


def purge_external_issuer_stats(
    conn: psycopg.Connection, *, cutoff: dt.datetime
) -> int:
    """Delete external-issuer stats days before ``cutoff``."""
    return _purge_dated(conn, "external_issuer_stats", cutoff)


def purge_sms_error_stats(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete SMS error stats days before ``cutoff``."""
    return _purge_dated(conn, "sms_error_stats", cutoff)


def purge_realm_stats(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete realm stats days before ``cutoff``."""
    return _purge_dated(conn, "realm_stats", cutoff)


def purge_realm_chaff_events(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete chaff-event days before ``cutoff``."""
    return _purge_dated(conn, "realm_chaff_events", cutoff)


def purge_user_stats(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete per-user stats days before ``cutoff``."""
    return _purge_dated(conn, "user_stats", cutoff)


def max_user_report_code_duration(conn: psycopg.Connection) -> int:
    """Return the longest code duration (s) of realms that allow user reports."""
    row = conn.execute(
        "SELECT coalesce(max(code_duration), 0) FROM realms"
        " WHERE deleted_at IS NULL AND (allowed_test_types & 16) <> 0"
    ).fetchone()
    return int(row[0])


def purge_unclaimed_user_reports(
    conn: psycopg.Connection, *, cutoff: dt.datetime
) -> int:
    """Delete unclaimed user reports created before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM user_reports WHERE NOT code_claimed AND created_at < %(cutoff)s",
        {"cutoff": cutoff},
    )


def purge_user_reports(conn: psycopg.Connection, *, cutoff: dt.datetime) -> int:
    """Delete every user report created before ``cutoff``."""
    return _count(
        conn,
        "DELETE FROM user_reports WHERE created_at < %(cutoff)s",
        {"cutoff": cutoff},
    )
