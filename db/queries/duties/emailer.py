"""Queries of the e-mail duties: SMS error counts and realm SMTP settings."""

from __future__ import annotations

import datetime as dt

import psycopg


def sms_error_count(
    conn: psycopg.Connection, *, realm_id: int, day: dt.date, ignored: list[str]
) -> int:
    """Sum a realm's SMS errors on ``day``, leaving out ``ignored`` codes."""
    return conn.execute(
        "SELECT coalesce(sum(quantity), 0) FROM sms_error_stats"
        " WHERE realm_id = %(realm)s AND date = %(day)s"
        " AND NOT (error_code = ANY(%(ignored)s))",
        {"realm": realm_id, "day": day, "ignored": ignored},
    ).fetchone()[0]


def realm_email_config(
    conn: psycopg.Connection, *, realm_id: int
) -> tuple[str, str, str, str] | None:
    """Return (host, port, account, password) of a realm's own SMTP config."""
    return conn.execute(
        "SELECT smtp_host, smtp_port, smtp_account, smtp_password FROM email_configs"
        " WHERE realm_id = %(realm)s AND deleted_at IS NULL AND smtp_host <> ''",
        {"realm": realm_id},
    ).fetchone()
