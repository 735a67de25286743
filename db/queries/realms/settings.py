"""Queries behind the realm settings page: provider configs, stats opt-in, names."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from db.queries.realms.core import update_realm
from db.rows import REALM_COLUMNS, Realm


@dataclass(frozen=True)
class EmailConfigRow:
    """A realm's own SMTP configuration (password still sealed)."""

    smtp_account: str
    smtp_host: str
    smtp_port: str
    smtp_password: str


def lock_realm(conn: psycopg.Connection, realm_id: int) -> Realm | None:
    """Return the live realm row, locked until the transaction ends."""
    with conn.cursor(row_factory=class_row(Realm)) as cur:
        return cur.execute(
            f"SELECT {REALM_COLUMNS} FROM realms"  # noqa: S608 - constant column list
            " WHERE id = %(id)s AND deleted_at IS NULL FOR UPDATE",
            {"id": realm_id},
        ).fetchone()


def name_taken(
    conn: psycopg.Connection, *, realm_id: int, column: str, value: str
) -> bool:
    """Say whether another realm uses ``value`` as its name or region code."""
    query = {
        "name": "SELECT 1 FROM realms"
        " WHERE lower(name) = lower(%(v)s) AND id <> %(id)s",
        "region_code": "SELECT 1 FROM realms"
        " WHERE lower(region_code) = lower(%(v)s) AND id <> %(id)s",
    }[column]
    return conn.execute(query, {"v": value, "id": realm_id}).fetchone() is not None


def delete_realm_sms_config(conn: psycopg.Connection, *, realm_id: int) -> int:
    """Remove the realm's own SMS configuration; return rows deleted."""
    return conn.execute(
        "DELETE FROM sms_configs WHERE realm_id = %(realm)s AND NOT is_system",
        {"realm": realm_id},
    ).rowcount


def list_sms_from_numbers(conn: psycopg.Connection) -> list[tuple[int, str, str]]:
    """Return (id, label, value) of the system's sender numbers."""
    return conn.execute(
        "SELECT id, label, value FROM sms_from_numbers ORDER BY lower(label)"
    ).fetchall()


def get_realm_email_config(
    conn: psycopg.Connection, *, realm_id: int
) -> EmailConfigRow | None:
    """Return the realm's own SMTP configuration."""
    with conn.cursor(row_factory=class_row(EmailConfigRow)) as cur:
        return cur.execute(
            "SELECT smtp_account, smtp_host, smtp_port, smtp_password"
            " FROM email_configs WHERE realm_id = %(realm)s AND NOT is_system"
            " AND deleted_at IS NULL",
            {"realm": realm_id},
        ).fetchone()


def upsert_realm_email_config(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    account: str,
    sealed_password: str,
    host: str,
    port: str,
) -> None:
    """Create or replace the realm's SMTP configuration."""
    conn.execute(
        "INSERT INTO email_configs"
        " (realm_id, smtp_account, smtp_password, smtp_host, smtp_port)"
        " VALUES (%(realm)s, %(account)s, %(password)s, %(host)s, %(port)s)"
        " ON CONFLICT (realm_id) DO UPDATE SET"
        " smtp_account = EXCLUDED.smtp_account,"
        " smtp_password = EXCLUDED.smtp_password,"
        " smtp_host = EXCLUDED.smtp_host, smtp_port = EXCLUDED.smtp_port,"
        " deleted_at = NULL, updated_at = now()",
        {
            "realm": realm_id,
            "account": account,
            "password": sealed_password,
            "host": host,
            "port": port,
        },
    )


def delete_realm_email_config(conn: psycopg.Connection, *, realm_id: int) -> int:
    """Remove the realm's own SMTP configuration; return rows deleted."""
    return conn.execute(
        "DELETE FROM email_configs WHERE realm_id = %(realm)s AND NOT is_system",
        {"realm": realm_id},
    ).rowcount


def get_key_server_stats(
    conn: psycopg.Connection, *, realm_id: int
) -> tuple[str, str] | None:
    """Return the realm's key-server stats overrides (url, audience) if opted in."""
    row = conn.execute(
        "SELECT coalesce(key_server_url_override, ''),"
        " coalesce(key_server_audience_override, '')"
        " FROM key_server_stats WHERE realm_id = %(realm)s",
        {"realm": realm_id},
    ).fetchone()
    return (row[0], row[1]) if row else None


def upsert_key_server_stats(
    conn: psycopg.Connection, *, realm_id: int, url: str, audience: str
) -> None:
    """Opt the realm in to key-server stats with optional overrides."""
    conn.execute(
        "INSERT INTO key_server_stats"
        " (realm_id, key_server_url_override, key_server_audience_override)"
        " VALUES (%(realm)s, %(url)s, %(aud)s) ON CONFLICT (realm_id) DO UPDATE SET"
        " key_server_url_override = EXCLUDED.key_server_url_override,"
        " key_server_audience_override = EXCLUDED.key_server_audience_override",
        {"realm": realm_id, "url": url or None, "aud": audience or None},
    )


def delete_key_server_stats(conn: psycopg.Connection, *, realm_id: int) -> int:
    """Opt the realm out of key-server stats."""
    return conn.execute(
        "DELETE FROM key_server_stats WHERE realm_id = %(realm)s", {"realm": realm_id}
    ).rowcount


def update_settings(conn: psycopg.Connection, realm_id: int, columns: dict) -> int:
    """Set realm columns (dicts stored as jsonb); return rows affected."""
    values = {
        name: Jsonb(value) if isinstance(value, dict) else value
        for name, value in columns.items()
    }
    return update_realm(conn, realm_id, **values)


def last_audit_at(conn: psycopg.Connection, *, realm_id: int, action: str):
    """Return when ``action`` was last audited on the realm (None: never)."""
    row = conn.execute(
        "SELECT max(created_at) FROM audit_entries"
        " WHERE realm_id = %(realm)s AND action = %(action)s",
        {"realm": realm_id, "action": action},
    ).fetchone()
    return row[0]


def touch_realm(conn: psycopg.Connection, realm_id: int) -> None:
    """Bump ``updated_at`` so per-process memos keyed by it reload."""
    conn.execute(
        "UPDATE realms SET updated_at = now() WHERE id = %(id)s", {"id": realm_id}
    )
