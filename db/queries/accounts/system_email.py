"""Queries on the system SMTP config."""

from __future__ import annotations

import psycopg


def upsert_system_email_config(
    conn: psycopg.Connection,
    *,
    account: str,
    host: str,
    port: str,
    sealed_password: str,
) -> None:
    """Create or replace the system SMTP config (password already sealed)."""
    params = {"a": account, "h": host, "p": port, "pw": sealed_password}
    updated = conn.execute(
        "UPDATE email_configs SET smtp_account = %(a)s, smtp_host = %(h)s,"
        " smtp_port = %(p)s, smtp_password = %(pw)s, deleted_at = NULL,"
        " updated_at = now() WHERE is_system",
        params,
    ).rowcount
    if not updated:
        conn.execute(
            "INSERT INTO email_configs (is_system, provider_type, smtp_account,"
            " smtp_host, smtp_port, smtp_password)"
            " VALUES (true, 'smtp', %(a)s, %(h)s, %(p)s, %(pw)s)",
            params,
        )


def delete_system_email_config(conn: psycopg.Connection) -> int:
    """Delete the system SMTP config and stop every realm from using it."""
    deleted = conn.execute("DELETE FROM email_configs WHERE is_system").rowcount
    conn.execute(
        "UPDATE realms SET can_use_system_email_config = false,"
        " use_system_email_config = false, updated_at = now()"
        " WHERE can_use_system_email_config OR use_system_email_config"
    )
    return deleted
